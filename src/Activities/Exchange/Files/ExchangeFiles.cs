using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing.Forms;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Exchange;

/// <summary>
/// File exchange (P4/P5): the files of the folder the provider mounted on the catalog entry
/// (<c>Exchange:ProviderRoot</c> + the mounted folder) into the demand side's receiving folder
/// (<c>Exchange:ReceivingRoot/&lt;department&gt;/&lt;resource code&gt;</c>; across levels the county's, under the
/// department's code). Only the formats of 001 第八条（二） and files within the size limits are exchanged — the whole
/// folder is checked before anything is copied. Each file is written to a temporary file beside its place, its SHA-256
/// checked against the provider's, then renamed over it: a reader never sees half a file, and a retry rewrites or
/// skips (same hash) each file, never duplicates it.
/// </summary>
[RetryPolicy(5, 60)]
public sealed partial class ExchangeFiles
{
    [Output(DisplayName = "校验和")]
    public Output<string> Checksum { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var subscription = await ExchangeSubscription.ResolveAsync(context, context.Get(Subscription), context.Get(TargetLevel), CatalogMountKind.File);
        var settings = context.Services.GetRequiredService<IOptions<ExchangeOptions>>().Value;
        var recorder = context.Services.GetRequiredService<ExchangeRunRecorder>();
        var ct = context.CancellationToken;

        var providerRoot = Path.GetFullPath(settings.ProviderRoot);
        var folder = Path.GetFullPath(Path.Combine(providerRoot, subscription.Mount.Target.TrimStart('/')));
        if (!folder.StartsWith(providerRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new WorkflowFaultException($"挂接文件夹“{subscription.Mount.Target}”不在交换文件服务的目录内。");
        if (!Directory.Exists(folder))
            throw new WorkflowFaultException($"提供部门“{subscription.Provider.Name}”挂接的文件夹 {subscription.Mount.Target} 在交换文件服务上不存在。");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => new FileInfo(path))
            .Select(info => (Info: info, Relative: Path.GetRelativePath(folder, info.FullName).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal).ToList();
        Check(subscription, files.Select(f => (f.Relative, f.Info.Length)).ToList(), settings);

        var receivingRoot = Path.GetFullPath(settings.ReceivingRoot);
        var receiving = Path.Combine([receivingRoot, subscription.TargetCode, .. subscription.IsCrossLevel ? [subscription.ConsumerCode] : Array.Empty<string>(),
            subscription.ResourceCode.Replace('/', '_')]);
        var run = subscription.StartRun(context, ExchangeKind.File, "files", subscription.Mount.Target,
            Path.GetRelativePath(receivingRoot, receiving).Replace(Path.DirectorySeparatorChar, '/'));
        run.FilesTotal = files.Count;
        run.BytesTotal = files.Sum(f => f.Info.Length);
        var delivered = new List<ExchangeRunFile>();
        try
        {
            await recorder.BeginAsync(run, ct);
            var skipped = 0;
            foreach (var (info, relative) in files)
            {
                var destination = Path.Combine(receiving, relative.Replace('/', Path.DirectorySeparatorChar));
                var (sha, copied) = await DeliverAsync(info, destination, run.Id, ct);
                if (!copied) skipped++;
                delivered.Add(new ExchangeRunFile { RunId = run.Id, Path = relative, Bytes = info.Length, Sha256 = sha });
                run.FilesDone++;
                run.BytesDone += info.Length;
                run.UpdatedAt = context.Clock.GetUtcNow().UtcDateTime;
                await recorder.ProgressAsync(run, ct);
            }

            run.SourceChecksum = run.Checksum = FolderChecksum(delivered);
            run.Status = ExchangeRunStatus.Succeeded;
            run.FinishedAt = run.UpdatedAt = context.Clock.GetUtcNow().UtcDateTime;
            await recorder.FinishAsync(context, run, delivered);
            context.Set(Files, delivered.Count);
            context.Set(Checksum, run.Checksum);
            var side = subscription.IsCrossLevel ? $"（跨层级，区县接收目录：{subscription.Target.Name}）" : "";
            var listed = string.Join("；", delivered.Take(20).Select(f => $"{f.Path} {f.Bytes} 字节 SHA-256 {f.Sha256}"));
            context.AddJournalNote(
                $"文件交换：{subscription.Provider.Name} {subscription.Mount.Target} → {subscription.Consumer.Name}{side} 接收目录 {run.Target}；" +
                $"{delivered.Count} 个文件共 {run.BytesDone} 字节（{skipped} 个已是相同内容，未重写）；{listed}{(delivered.Count > 20 ? "；……" : "")}；" +
                $"文件清单校验和 {run.Checksum}；交换记录 {run.Id}。");
            context.Complete(Done);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Status = ExchangeRunStatus.Failed;
            run.Error = ex.Message;
            run.FinishedAt = run.UpdatedAt = context.Clock.GetUtcNow().UtcDateTime;
            await recorder.FinishAsync(context, run, delivered);
            throw;
        }
    }

    /// <summary>Refuses the whole folder when one file is of a format 001 第八条（二） does not allow, or too large.</summary>
    private static void Check(ExchangeSubscription subscription, IReadOnlyList<(string Path, long Bytes)> files, ExchangeOptions settings)
    {
        if (files.Count == 0) throw new WorkflowFaultException($"提供部门挂接的文件夹 {subscription.Mount.Target} 中没有文件。");
        var refused = files.Where(f => !SharedFileFormatValidator.Allowed.Contains(Path.GetExtension(f.Path).TrimStart('.').ToLowerInvariant())).ToList();
        if (refused.Count > 0)
        {
            throw new WorkflowFaultException(
                $"以下文件的格式不是平台支持的共享文件格式（{string.Join("、", SharedFileFormatValidator.Allowed)}，见《平顶山市政务数据共享交换平台管理暂行办法》第八条），" +
                $"本次未交换任何文件：{string.Join("、", refused.Take(20).Select(f => f.Path))}{(refused.Count > 20 ? "……" : "")}。");
        }

        var large = files.Where(f => f.Bytes > settings.MaxFileBytes).ToList();
        if (large.Count > 0)
        {
            throw new WorkflowFaultException(
                $"以下文件超过单个文件 {Size(settings.MaxFileBytes)} 的上限，本次未交换任何文件：{string.Join("、", large.Take(20).Select(f => $"{f.Path}（{Size(f.Bytes)}）"))}。");
        }

        var total = files.Sum(f => f.Bytes);
        if (total > settings.MaxTotalBytes)
            throw new WorkflowFaultException($"文件合计 {Size(total)}，超过一次交换 {Size(settings.MaxTotalBytes)} 的上限，本次未交换任何文件。");
    }

    /// <summary>
    /// Copies to <c>.&lt;name&gt;.&lt;run&gt;.part</c> beside the destination while hashing what is read, re-reads the copy to
    /// hash what was written, and renames it into place. A destination that already has the content (a retry) is kept.
    /// </summary>
    private static async Task<(string Sha256, bool Copied)> DeliverAsync(FileInfo source, string destination, Guid runId, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.{runId:N}.part");
        string read;
        await using (var input = new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int count;
            while ((count = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, count);
                await output.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
            }

            await output.FlushAsync(cancellationToken);
            output.Flush(flushToDisk: true);
            read = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        var written = await HashAsync(temporary, cancellationToken);
        if (written != read)
        {
            File.Delete(temporary);
            throw new IOException($"The copy of {source.Name} does not match its source (SHA-256 {written} instead of {read}).");
        }

        if (File.Exists(destination) && await HashAsync(destination, cancellationToken) == read)
        {
            File.Delete(temporary);
            return (read, false);
        }

        File.Move(temporary, destination, overwrite: true);
        return (read, true);
    }

    internal static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>SHA-256 of the sorted "path TAB sha256" lines: one value for the whole delivery.</summary>
    internal static string FolderChecksum(IEnumerable<ExchangeRunFile> files) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(
            files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => $"{f.Path}\t{f.Sha256}\n")))));

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024d / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB";
}
