namespace PdsWorkflow.Workflows.Persistence;

// Rows of the engine's tables. Times are UTC DateTime (SQLite stores them as sortable text, PostgreSQL as timestamptz).

public sealed class DefinitionRecord
{
    public Guid Id { get; set; }
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public required string Json { get; set; }
    public required string ContentHash { get; set; }
    public string? Source { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
    public DateTime? RetractedAt { get; set; }

    /// <summary>What the workflow admin wrote when publishing this version (发布说明).</summary>
    public string? ReleaseNote { get; set; }
}

public sealed class InstanceRecord
{
    public Guid Id { get; set; }
    public required string DefinitionId { get; set; }
    public Guid DefinitionVersionId { get; set; }
    public int DefinitionVersion { get; set; }
    public required string Status { get; set; }
    public string? CorrelationId { get; set; }
    public string? Initiator { get; set; }

    /// <summary>业务编号 (订阅-2026-000123): given when the case is submitted (<see cref="Tasks.BusinessNumbers"/>); null for a draft.</summary>
    public string? BusinessNumber { get; set; }

    /// <summary>One line naming what the case is about (resource, interface, account), derived from its form (<see cref="Tasks.ICaseSummary"/>).</summary>
    public string? Summary { get; set; }

    public Guid? ParentInstanceId { get; set; }
    public Guid? ParentBookmarkId { get; set; }
    public required string StateJson { get; set; }
    public string? FaultMessage { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>When the case was submitted (got its 业务编号): the day the statistics count it as received. Null for a draft.</summary>
    public DateTime? SubmittedAt { get; set; }
    public long JournalSequence { get; set; }
    public string JournalHeadHash { get; set; } = "";

    /// <summary>The hash algorithm of the journal's entries (<c>SM3</c>, <c>SHA256</c>); null for a journal begun before algorithms were recorded (SHA-256).</summary>
    public string? JournalAlgorithm { get; set; }

    /// <summary>The last entry a signed checkpoint covers, and when it was signed: when the next one is due (not trusted by verification).</summary>
    public long CheckpointSequence { get; set; }

    public DateTime? CheckpointAt { get; set; }

    /// <summary>Optimistic concurrency token; every burst increments it.</summary>
    public int Revision { get; set; }
}

public sealed class BookmarkRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public Guid ActivityExecutionId { get; set; }
    public required string Name { get; set; }
    public string? CorrelationKey { get; set; }
    public string? PayloadJson { get; set; }
    public DateTime? DueAt { get; set; }
    public int Attempt { get; set; }
    public required string Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
}

public sealed class JournalRecord
{
    public Guid InstanceId { get; set; }
    public long Sequence { get; set; }
    public DateTime Timestamp { get; set; }
    public required string EventName { get; set; }
    public string? ActivityId { get; set; }
    public string? ActivityType { get; set; }
    public Guid? ActivityExecutionId { get; set; }
    public string? Outcome { get; set; }
    public string? InputsJson { get; set; }
    public string? OutputsJson { get; set; }
    public string? Actor { get; set; }
    public string? Message { get; set; }

    /// <summary>
    /// The digests of the covered records (task actions, attachments, messages…) written with this entry's unit of work,
    /// one <c>kind id digest</c> per line (Integrity.RecordDigests); hashed with the entry.
    /// </summary>
    public string? Records { get; set; }

    /// <summary>The hash algorithm of this entry (<c>SM3</c>, <c>SHA256</c>); null for the original SHA-256 format.</summary>
    public string? Algorithm { get; set; }

    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

public sealed class IncidentRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityType { get; set; }
    public Guid ActivityExecutionId { get; set; }
    public int Attempt { get; set; }
    public required string ErrorType { get; set; }
    public required string Message { get; set; }
    public string? Details { get; set; }
    public required string Status { get; set; }
    public Guid? RetryBookmarkId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
}

public sealed class OutboxRecord
{
    public Guid Id { get; set; }
    public Guid? InstanceId { get; set; }
    public required string Type { get; set; }

    /// <summary>Unique: the same logical message enqueued twice (a retried activity) is stored once.</summary>
    public required string Key { get; set; }

    public required string PayloadJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>Set when the dispatcher gave up (a dead letter): nothing retries it until an operator does.</summary>
    public DateTime? DeadAt { get; set; }
}

/// <summary>The last 业务编号 sequence number given per prefix and year (Beijing time).</summary>
public sealed class BusinessNumberRecord
{
    public required string Prefix { get; set; }
    public int Year { get; set; }
    public long LastValue { get; set; }
}
