using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Exchange.Data;

public enum ExchangeKind
{
    Table,
    File,
}

public enum ExchangeRunStatus
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One exchange step of one case (<c>exc_runs</c>): who gave what to whom, how much, its checksum, and its progress.
/// Keyed by the execution key (instance and step, as an account issuance): a retry updates the same row, so the
/// statistics of 001 第二十二条 count one exchange, not one per attempt.
/// </summary>
public sealed class ExchangeRun
{
    public Guid Id { get; set; }

    /// <summary><c>&lt;instance&gt;/&lt;step&gt;</c>.</summary>
    public required string ExecutionKey { get; set; }

    public Guid InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public ExchangeKind Kind { get; set; }

    /// <summary>The subscribed resource (信息资源代码) and its name.</summary>
    public required string ResourceCode { get; set; }

    public required string ResourceName { get; set; }
    public required string ProviderOrgUnitId { get; set; }
    public required string ConsumerOrgUnitId { get; set; }

    /// <summary>Whose front-end database or folder received the data: the consumer, or its county's data authority.</summary>
    public required string TargetOrgUnitId { get; set; }

    /// <summary>city or county.</summary>
    public required string TargetLevel { get; set; }

    /// <summary>full or incremental (tables), files.</summary>
    public required string Mode { get; set; }

    public required string Source { get; set; }
    public required string Target { get; set; }
    public ExchangeRunStatus Status { get; set; }
    public int Attempts { get; set; }
    public long? RowsTotal { get; set; }
    public long RowsDone { get; set; }
    public int? FilesTotal { get; set; }
    public int FilesDone { get; set; }
    public long? BytesTotal { get; set; }
    public long BytesDone { get; set; }

    /// <summary>Computed on the provider's side while reading.</summary>
    public string? SourceChecksum { get; set; }

    /// <summary>Computed on the receiving side after writing.</summary>
    public string? Checksum { get; set; }

    public DateTime StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>The row id of an execution key: the same on every attempt, so a reader may follow a run before it commits.</summary>
    public static Guid IdOf(string executionKey)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("pds-exchange/" + executionKey));
        return new Guid(digest.AsSpan(0, 16));
    }

    public ExchangeRun Copy() => (ExchangeRun)MemberwiseClone();
}

/// <summary>One file a file exchange delivered (<c>exc_files</c>): its path under the receiving folder, size and SHA-256.</summary>
public sealed class ExchangeRunFile
{
    public Guid RunId { get; set; }
    public required string Path { get; set; }
    public long Bytes { get; set; }
    public required string Sha256 { get; set; }
}
