using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>A checkpoint as the anchor holds it, or why its file could not be read.</summary>
public sealed record AnchoredCheckpoint(long Sequence, CheckpointRecord? Checkpoint, string? Problem);

/// <summary>
/// The record of signed checkpoints outside the database (<see cref="IntegrityOptions.AnchorPath"/>), written once and
/// never rewritten: <c>checkpoints/{stream}/{sequence}.json</c>, one read-only file per checkpoint (a second write of
/// the same checkpoint is a no-op, of a different one a refusal), an index per day of writing
/// (<c>daily/{date}/</c>), and for each finished day a printable digest signed with the checkpoint key
/// (<c>daily/{date}.txt</c>) that the bureau can print or publish. Verification compares a stream's checkpoints with its
/// folder. Written after the checkpoint's transaction committed, through the outbox.
/// </summary>
public sealed class CheckpointAnchor(IOptions<IntegrityOptions> options, SigningKeyStore keys, TimeProvider clock, ILogger<CheckpointAnchor> logger)
{
    public const string MessageType = "integrity.anchor";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public bool Enabled => options.Value.Anchored;

    private string Root => options.Value.AnchorPath;

    internal static OutboxRecord Message(CheckpointRecord checkpoint, DateTime now) => new()
    {
        Id = Guid.NewGuid(), Type = MessageType, Key = $"anchor:{checkpoint.Stream}:{checkpoint.Sequence}",
        PayloadJson = ToJson(checkpoint).ToJsonString(JsonDefaults.Stored), CreatedAt = now, NextAttemptAt = now,
    };

    public static JsonObject ToJson(CheckpointRecord c) => new()
    {
        ["stream"] = c.Stream, ["sequence"] = c.Sequence, ["headHash"] = c.HeadHash, ["hashAlgorithm"] = c.HashAlgorithm,
        ["signatureAlgorithm"] = c.SignatureAlgorithm, ["keyId"] = c.KeyId,
        ["signedAt"] = c.SignedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["signature"] = c.Signature, ["reason"] = c.Reason,
    };

    public static CheckpointRecord? FromJson(JsonNode? json)
    {
        try
        {
            if (json is not JsonObject o) return null;
            return new CheckpointRecord
            {
                Stream = o["stream"]!.GetValue<string>(), Sequence = o["sequence"]!.GetValue<long>(), HeadHash = o["headHash"]!.GetValue<string>(),
                HashAlgorithm = o["hashAlgorithm"]!.GetValue<string>(), SignatureAlgorithm = o["signatureAlgorithm"]!.GetValue<string>(),
                KeyId = o["keyId"]!.GetValue<string>(),
                SignedAt = DateTime.SpecifyKind(DateTime.ParseExact(o["signedAt"]!.GetValue<string>(), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'",
                    CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
                Signature = o["signature"]!.GetValue<string>(), Reason = o["reason"]?.GetValue<string>() ?? "",
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the checkpoint's file once; the same checkpoint again changes nothing, a different one at its place is refused.</summary>
    public async Task AppendAsync(CheckpointRecord checkpoint, CancellationToken cancellationToken)
    {
        var path = PathOf(checkpoint.Stream, checkpoint.Sequence);
        var text = ToJson(checkpoint).ToJsonString(new JsonSerializerOptions(JsonDefaults.Stored) { WriteIndented = true });
        if (!await WriteOnceAsync(path, text, cancellationToken))
        {
            var existing = FromJson(JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)));
            if (existing?.Signature == checkpoint.Signature && existing.HeadHash == checkpoint.HeadHash) return;
            logger.LogError("The anchor already holds a different checkpoint {Stream} #{Sequence}: not overwritten", checkpoint.Stream, checkpoint.Sequence);
            throw new InvalidOperationException($"外部存证中已有不同的检查点 {checkpoint.Stream} 第 {checkpoint.Sequence} 条，不能覆盖。");
        }

        var day = clock.GetUtcNow().ToOffset(Beijing).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var index = Path.Combine(Root, "daily", day, $"{checkpoint.Stream}.{checkpoint.Sequence.ToString("D12", CultureInfo.InvariantCulture)}");
        await WriteOnceAsync(index, $"{checkpoint.Stream} {checkpoint.Sequence} {checkpoint.HeadHash} {checkpoint.KeyId} {checkpoint.SignatureAlgorithm}\n", cancellationToken);
    }

    /// <summary>The checkpoints the anchor holds for <paramref name="stream"/>, by sequence.</summary>
    public IReadOnlyList<AnchoredCheckpoint> Read(string stream)
    {
        var folder = Path.Combine(Root, "checkpoints", stream);
        if (!Directory.Exists(folder)) return [];
        var found = new List<AnchoredCheckpoint>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json"))
        {
            if (!long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)) continue;
            CheckpointRecord? checkpoint;
            try
            {
                checkpoint = FromJson(JsonNode.Parse(File.ReadAllText(path)));
            }
            catch (JsonException)
            {
                checkpoint = null;
            }

            found.Add(checkpoint is not null && checkpoint.Stream == stream && checkpoint.Sequence == sequence
                ? new AnchoredCheckpoint(sequence, checkpoint, null)
                : new AnchoredCheckpoint(sequence, null, $"外部存证文件 {Path.GetFileName(path)} 无法识别"));
        }

        return found.OrderBy(c => c.Sequence).ToList();
    }

    /// <summary>
    /// Writes the digest of every finished day (Beijing time) that has anchored checkpoints and no digest yet: the list of
    /// that day's checkpoints, its SM3, and a signature over both with the checkpoint key. Returns the files written.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteDailyDigestsAsync(CancellationToken cancellationToken)
    {
        var daily = Path.Combine(Root, "daily");
        if (!Directory.Exists(daily)) return [];
        var today = clock.GetUtcNow().ToOffset(Beijing).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var written = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(daily).Order(StringComparer.Ordinal))
        {
            var day = Path.GetFileName(folder);
            var digestFile = Path.Combine(daily, day + ".txt");
            if (string.CompareOrdinal(day, today) >= 0 || File.Exists(digestFile)) continue;
            var lines = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(f => File.ReadAllText(f).TrimEnd('\n')).ToList();
            var body = string.Join('\n', lines);
            var summary = HashAlgorithms.Hex(HashAlgorithms.Sm3, Encoding.UTF8.GetBytes(body));
            var key = keys.Current;
            var signed = $"pds-anchor-day/1\n{day}\n{lines.Count}\n{summary}\n{key.KeyId}\n{key.Algorithm}";
            var signature = Convert.ToBase64String(Signatures.Sign(key, Encoding.UTF8.GetBytes(signed)));
            var text = new StringBuilder()
                .AppendLine("平顶山市政务数据共享交换平台审批系统 流程日志签名检查点 每日摘要")
                .AppendLine(CultureInfo.InvariantCulture, $"日期（北京时间）：{day}")
                .AppendLine(CultureInfo.InvariantCulture, $"检查点数量：{lines.Count}")
                .AppendLine("检查点（记录流 序号 链尾哈希 密钥 签名算法）：")
                .AppendLine(body)
                .AppendLine(CultureInfo.InvariantCulture, $"当日摘要（SM3，对上列各行以换行连接）：{summary}")
                .AppendLine(CultureInfo.InvariantCulture, $"签名密钥：{key.KeyId}（{key.Algorithm}）")
                .AppendLine("签名内容：pds-anchor-day/1、日期、数量、当日摘要、密钥、算法，各占一行")
                .AppendLine(CultureInfo.InvariantCulture, $"签名：{signature}")
                .ToString();
            if (await WriteOnceAsync(digestFile, text, cancellationToken)) written.Add(digestFile);
        }

        return written;
    }

    private string PathOf(string stream, long sequence) =>
        Path.Combine(Root, "checkpoints", stream, sequence.ToString("D12", CultureInfo.InvariantCulture) + ".json");

    /// <summary>Creates the file with its whole content, flushed to disk and then read-only; false when it exists already.</summary>
    private static async Task<bool> WriteOnceAsync(string path, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            // A hard-link-like publish: the name appears complete or not at all, and never replaces an existing file.
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}

/// <summary>Delivers <see cref="CheckpointAnchor.MessageType"/> outbox messages to the anchor.</summary>
internal sealed class CheckpointAnchorHandler(CheckpointAnchor anchor) : IOutboxHandler
{
    public string MessageType => CheckpointAnchor.MessageType;

    public bool IsConfigured => anchor.Enabled;

    public Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        anchor.AppendAsync(CheckpointAnchor.FromJson(message.Payload) ?? throw new InvalidOperationException($"Anchor message {message.Key} holds no checkpoint."),
            cancellationToken);
}
