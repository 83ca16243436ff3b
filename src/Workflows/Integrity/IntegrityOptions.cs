using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>Bound from the <c>Integrity</c> section: how chains are hashed, when and with which key their heads are signed, where they are anchored.</summary>
public sealed class IntegrityOptions
{
    public const string Section = "Integrity";

    /// <summary>The hash of new chains: <c>SM3</c> (default) or <c>SHA256</c>. A chain keeps the algorithm it began with.</summary>
    public string HashAlgorithm { get; set; } = HashAlgorithms.Sm3;

    /// <summary>The signature of new checkpoints: <c>SM2</c> (default), <c>ECDSA-P256</c> or <c>Ed25519</c>.</summary>
    public string SignatureAlgorithm { get; set; } = SignatureAlgorithms.Sm2;

    /// <summary>The private signing key, outside the database; created on first use. A key of another algorithm is replaced (rotated).</summary>
    public string SigningKeyFile { get; set; } = "data/keys/journal-signing.key";

    /// <summary>The public keys verification trusts, one file per key (<c>{keyId}.pub</c>); the current key's is written here, old ones stay.</summary>
    public string PublicKeysPath { get; set; } = "data/keys/journal-public";

    /// <summary>A chain's head is signed after this many entries since its last checkpoint (and always when a case ends).</summary>
    public int CheckpointEveryEntries { get; set; } = 100;

    /// <summary>…or when its last checkpoint is older than this and the chain has grown; idle heads are signed by the sweep.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When the sweep signs idle heads and writes the daily digests (Quartz cron, Beijing time).</summary>
    public string CheckpointCron { get; set; } = "0 0/5 * * * ?";

    /// <summary>Streams signed per sweep transaction batch.</summary>
    public int SweepBatchSize { get; set; } = 200;

    /// <summary>The external, write-once record of signed checkpoints; empty: no anchoring.</summary>
    public string AnchorPath { get; set; } = "data/anchor";

    public bool Anchored => !string.IsNullOrWhiteSpace(AnchorPath);
}

public sealed class IntegrityOptionsValidator : IValidateOptions<IntegrityOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrityOptions options)
    {
        var failures = new List<string>();
        if (!HashAlgorithms.IsKnown(options.HashAlgorithm))
            failures.Add($"Integrity:HashAlgorithm“{options.HashAlgorithm}”不受支持，可选 {HashAlgorithms.Sm3} 或 {HashAlgorithms.Sha256}。");
        if (!SignatureAlgorithms.IsKnown(options.SignatureAlgorithm))
            failures.Add($"Integrity:SignatureAlgorithm“{options.SignatureAlgorithm}”不受支持，可选 {string.Join("、", SignatureAlgorithms.All)}。");
        if (string.IsNullOrWhiteSpace(options.SigningKeyFile)) failures.Add("Integrity:SigningKeyFile 不能为空：签名私钥保存在数据库之外的文件中。");
        if (string.IsNullOrWhiteSpace(options.PublicKeysPath)) failures.Add("Integrity:PublicKeysPath 不能为空：验证只信任该目录中的公钥。");
        if (options.CheckpointEveryEntries is < 1 or > 100_000)
            failures.Add($"Integrity:CheckpointEveryEntries 为 {options.CheckpointEveryEntries}，应在 1 到 100000 之间。");
        if (options.CheckpointInterval < TimeSpan.FromSeconds(10) || options.CheckpointInterval > TimeSpan.FromDays(1))
            failures.Add($"Integrity:CheckpointInterval 为 {options.CheckpointInterval}，应在 10 秒到 1 天之间。");
        if (!Timers.CronJobs.IsCron(options.CheckpointCron))
            failures.Add($"Integrity:CheckpointCron“{options.CheckpointCron}”不是有效的 Quartz cron 表达式（例如 0 0/5 * * * ? 表示每 5 分钟）。");
        if (options.SweepBatchSize is < 1 or > 10_000) failures.Add($"Integrity:SweepBatchSize 为 {options.SweepBatchSize}，应在 1 到 10000 之间。");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
