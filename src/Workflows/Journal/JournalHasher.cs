using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>
/// The per-instance hash chain: each entry's hash covers its own fields (with the digests of the records it attests) and
/// the previous entry's hash, so a changed, removed, inserted or reordered entry breaks the chain from that point.
/// </summary>
/// <remarks>
/// An entry records its algorithm (<see cref="JournalRecord.Algorithm"/>): SM3 or SHA-256 over length-prefixed fields.
/// Entries written before that (algorithm null) keep the original definition, SHA-256 of the fields joined by U+001F,
/// so journals already written keep verifying.
/// </remarks>
public static class JournalHasher
{
    /// <summary>The format tag hashed first in every entry with an algorithm.</summary>
    private const string Format = "pds-journal/2";

    /// <summary>PostgreSQL keeps microseconds; truncating before hashing keeps the hash stable across providers.</summary>
    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    public static string Compute(JournalRecord entry) => Compute(entry, entry.Sequence);

    /// <summary>What an entry of an algorithm nobody knows hashes to: it never matches a stored hash.</summary>
    private const string UnknownAlgorithm = "unknown-algorithm";

    public static string Compute(JournalRecord entry, long sequence) =>
        entry.Algorithm is null ? ComputeOriginal(entry, sequence)
        : !HashAlgorithms.IsKnown(entry.Algorithm) ? UnknownAlgorithm
        : ChainDigest.Begin(entry.Algorithm)
            .Field(Format)
            .Field(entry.Algorithm)
            .Field(entry.InstanceId)
            .Field(sequence)
            .Field(entry.Timestamp)
            .Field(entry.EventName)
            .Field(entry.ActivityId)
            .Field(entry.ActivityType)
            .Field(entry.ActivityExecutionId)
            .Field(entry.Outcome)
            .Field(entry.InputsJson)
            .Field(entry.OutputsJson)
            .Field(entry.Actor)
            .Field(entry.Message)
            .Field(entry.Records)
            .Field(entry.PreviousHash)
            .FinishHex();

    /// <summary>The original definition: SHA-256 of the UTF-8 of the fields joined by U+001F, lower-case hex.</summary>
    private static string ComputeOriginal(JournalRecord entry, long sequence)
    {
        Span<char> number = stackalloc char[32];
        var digest = ChainDigest.Begin(HashAlgorithms.Sha256);
        entry.InstanceId.TryFormat(number, out var length, "N");
        digest.Separated(number[..length], first: true);
        sequence.TryFormat(number, out length, default, System.Globalization.CultureInfo.InvariantCulture);
        digest.Separated(number[..length]);
        Truncate(entry.Timestamp).Ticks.TryFormat(number, out length, default, System.Globalization.CultureInfo.InvariantCulture);
        digest.Separated(number[..length]).Separated(entry.EventName).Separated(entry.ActivityId).Separated(entry.ActivityType);
        if (entry.ActivityExecutionId is { } execution)
        {
            execution.TryFormat(number, out length, "N");
            digest.Separated(number[..length]);
        }
        else
        {
            digest.Separated([]);
        }

        return digest.Separated(entry.Outcome).Separated(entry.InputsJson).Separated(entry.OutputsJson).Separated(entry.Actor)
            .Separated(entry.Message).Separated(entry.PreviousHash).FinishHex();
    }
}
