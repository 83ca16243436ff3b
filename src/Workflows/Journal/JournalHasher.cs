using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>
/// The per-instance hash chain: each entry's SHA-256 covers its own fields and the previous entry's hash, so a changed,
/// removed, inserted or reordered entry breaks the chain from that point.
/// </summary>
public static class JournalHasher
{
    private const char Separator = '\u001f';

    /// <summary>PostgreSQL keeps microseconds; truncating before hashing keeps the hash stable across providers.</summary>
    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    public static string Compute(JournalRecord entry) => Compute(entry, entry.Sequence);

    public static string Compute(JournalRecord entry, long sequence)
    {
        var text = string.Join(Separator,
            entry.InstanceId.ToString("N"),
            sequence.ToString(CultureInfo.InvariantCulture),
            Truncate(entry.Timestamp).Ticks.ToString(CultureInfo.InvariantCulture),
            entry.EventName,
            entry.ActivityId,
            entry.ActivityType,
            entry.ActivityExecutionId?.ToString("N"),
            entry.Outcome,
            entry.InputsJson,
            entry.OutputsJson,
            entry.Actor,
            entry.Message,
            entry.PreviousHash);
        // The same bytes as Encoding.UTF8.GetBytes(text), hashed from a pooled buffer: this runs for every journal entry.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
