namespace PdsWorkflow.Workflows.Integrity;

/// <summary>
/// The names of chains. Each instance's journal is a stream (<c>instance-{id}</c>, its entries in <c>wf_journal</c>,
/// its head on the instance row); a global stream (<c>calendar</c>, and e.g. a security log) has its entries in
/// <c>wf_stream_entries</c> and its head in <c>wf_streams</c>. Checkpoints and the anchor name both alike.
/// </summary>
public static class StreamKeys
{
    private const string InstancePrefix = "instance-";

    public static string Instance(Guid instanceId) => InstancePrefix + instanceId.ToString("N");

    public static Guid? InstanceOf(string stream) =>
        stream.StartsWith(InstancePrefix, StringComparison.Ordinal) && Guid.TryParseExact(stream[InstancePrefix.Length..], "N", out var id) ? id : null;

    /// <summary>A global stream's name: lower-case letters, digits and hyphens (it names a folder of the anchor).</summary>
    public static bool IsValidGlobal(string stream) =>
        stream.Length is > 0 and <= 64 && !stream.StartsWith(InstancePrefix, StringComparison.Ordinal)
        && stream.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}

/// <summary>The head of a global stream.</summary>
public sealed class StreamRecord
{
    public required string Stream { get; set; }
    public long Sequence { get; set; }
    public string HeadHash { get; set; } = "";
    public required string Algorithm { get; set; }
    public long CheckpointSequence { get; set; }
    public DateTime? CheckpointAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One entry of a global stream: the digests of the records one unit of work wrote (see <see cref="Persistence.JournalRecord.Records"/>).</summary>
public sealed class StreamEntryRecord
{
    public required string Stream { get; set; }
    public long Sequence { get; set; }
    public DateTime Timestamp { get; set; }
    public required string Records { get; set; }
    public required string Algorithm { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>A signed head: the hash of a stream's entry <see cref="Sequence"/>, signed with a key kept outside the database.</summary>
public sealed class CheckpointRecord
{
    public Guid Id { get; set; }
    public required string Stream { get; set; }
    public long Sequence { get; set; }
    public required string HeadHash { get; set; }
    public required string HashAlgorithm { get; set; }
    public required string SignatureAlgorithm { get; set; }
    public required string KeyId { get; set; }
    public DateTime SignedAt { get; set; }

    /// <summary>Base64 of the signature over <see cref="CheckpointMessage"/>.</summary>
    public required string Signature { get; set; }

    /// <summary>Why it was signed: <c>ended</c>, <c>entries</c>, <c>interval</c>.</summary>
    public required string Reason { get; set; }
}

public static class CheckpointReasons
{
    public const string Ended = "ended";
    public const string Entries = "entries";
    public const string Interval = "interval";
}

/// <summary>The bytes a checkpoint's signature covers: printable, so a published checkpoint can be checked by hand.</summary>
public static class CheckpointMessage
{
    public static byte[] Of(CheckpointRecord c) => System.Text.Encoding.UTF8.GetBytes(string.Join('\n',
        "pds-checkpoint/1", c.Stream, c.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), c.HeadHash, c.HashAlgorithm,
        Journal.JournalHasher.Truncate(c.SignedAt).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        c.KeyId, c.SignatureAlgorithm));
}
