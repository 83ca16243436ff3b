using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>
/// Signs chain heads at checkpoints: when a case ends, every <see cref="IntegrityOptions.CheckpointEveryEntries"/>
/// entries, and when the last checkpoint is older than <see cref="IntegrityOptions.CheckpointInterval"/>. Before
/// signing, the entries since the previous checkpoint are checked to chain from its signed head, so a rewrite of the
/// unsigned tail is not signed; the checkpoint then goes to the anchor through the outbox.
/// </summary>
public sealed class Checkpointer(SigningKeyStore keys, IOptions<IntegrityOptions> options, ILogger<Checkpointer> logger)
{
    internal IntegrityOptions Options => options.Value;

    /// <summary>Why a head at <paramref name="sequence"/> is due for signing now, or null.</summary>
    internal string? Due(long sequence, long signedThrough, DateTime signedAt, bool ended, DateTime now)
    {
        if (sequence <= signedThrough) return null;
        if (ended) return CheckpointReasons.Ended;
        if (sequence - signedThrough >= options.Value.CheckpointEveryEntries) return CheckpointReasons.Entries;
        return now - signedAt >= options.Value.CheckpointInterval ? CheckpointReasons.Interval : null;
    }

    /// <summary>Signs the instance's head (its tracked row, whose journal entries up to the head are saved or tracked as added).</summary>
    internal async Task<CheckpointRecord?> SignInstanceAsync(WorkflowDbContext db, InstanceRecord instance, string reason, DateTime now,
        CancellationToken cancellationToken)
    {
        var checkpoint = await SignHeadAsync(db, StreamKeys.Instance(instance.Id), instance.JournalSequence, instance.JournalHeadHash,
            instance.JournalAlgorithm ?? JournalChain.LegacyAlgorithm, reason, now, async from =>
            {
                var unsaved = db.Journal.Local.Where(j => j.InstanceId == instance.Id && j.Sequence > from).ToList();
                var before = unsaved.Count == 0 ? long.MaxValue : unsaved.Min(j => j.Sequence);
                var stored = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instance.Id && j.Sequence > from && j.Sequence < before)
                    .ToListAsync(cancellationToken);
                return stored.Concat(unsaved).OrderBy(j => j.Sequence).Select(j => new Link(j.Sequence, j.PreviousHash, j.Hash, JournalHasher.Compute(j)));
            }, cancellationToken);
        if (checkpoint is not null) (instance.CheckpointSequence, instance.CheckpointAt) = (checkpoint.Sequence, now);
        return checkpoint;
    }

    /// <summary>Signs a global stream's head (its tracked row).</summary>
    internal async Task<CheckpointRecord?> SignStreamAsync(WorkflowDbContext db, StreamRecord head, string reason, DateTime now, CancellationToken cancellationToken)
    {
        var checkpoint = await SignHeadAsync(db, head.Stream, head.Sequence, head.HeadHash, head.Algorithm, reason, now, async from =>
        {
            var unsaved = db.StreamEntries.Local.Where(e => e.Stream == head.Stream && e.Sequence > from).ToList();
            var before = unsaved.Count == 0 ? long.MaxValue : unsaved.Min(e => e.Sequence);
            var stored = await db.StreamEntries.AsNoTracking().Where(e => e.Stream == head.Stream && e.Sequence > from && e.Sequence < before)
                .ToListAsync(cancellationToken);
            return stored.Concat(unsaved).OrderBy(e => e.Sequence).Select(e => new Link(e.Sequence, e.PreviousHash, e.Hash, StreamHasher.Compute(e)));
        }, cancellationToken);
        if (checkpoint is not null) (head.CheckpointSequence, head.CheckpointAt) = (checkpoint.Sequence, now);
        return checkpoint;
    }

    /// <summary>One entry of a chain as stored (its previous hash and hash) and its hash recomputed.</summary>
    private sealed record Link(long Sequence, string PreviousHash, string Hash, string Recomputed);

    /// <summary>Signs a head when the entries since the stream's last (valid) checkpoint chain from it to that head.</summary>
    private async Task<CheckpointRecord?> SignHeadAsync(WorkflowDbContext db, string stream, long sequence, string headHash, string algorithm, string reason,
        DateTime now, Func<long, Task<IEnumerable<Link>>> linksAfter, CancellationToken cancellationToken)
    {
        var last = await db.Checkpoints.AsNoTracking().Where(c => c.Stream == stream).OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (last is not null && Verify(last) is null)
        {
            logger.LogError("The last checkpoint of {Stream} (entry {Sequence}, key {KeyId}) does not verify: nothing more is signed for it", stream, last.Sequence, last.KeyId);
            return null;
        }

        if (!Chains(await linksAfter(last?.Sequence ?? 0), last, sequence, headHash))
        {
            logger.LogError("{Stream} does not chain from its last checkpoint at entry {Sequence}: its head is not signed", stream, last?.Sequence ?? 0);
            return null;
        }

        return Sign(db, stream, sequence, headHash, algorithm, reason, now);
    }

    /// <summary>The public keys a verification trusts: the key folder as it is now.</summary>
    public IReadOnlyDictionary<string, TrustedKey> TrustedKeys() => keys.ReadTrusted();

    /// <summary>
    /// Whether <paramref name="checkpoint"/> carries a valid signature of a trusted key (of <paramref name="trusted"/>,
    /// or the keys this node knows); the key when it does.
    /// </summary>
    public TrustedKey? Verify(CheckpointRecord checkpoint, IReadOnlyDictionary<string, TrustedKey>? trusted = null)
    {
        var key = trusted is null ? keys.Find(checkpoint.KeyId) : trusted.GetValueOrDefault(checkpoint.KeyId);
        if (key is null || key.Algorithm != checkpoint.SignatureAlgorithm) return null;
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return null;
        }

        return Signatures.Verify(key.Algorithm, key.PublicKey, CheckpointMessage.Of(checkpoint), signature) ? key : null;
    }

    private static bool Chains(IEnumerable<Link> entries, CheckpointRecord? from, long headSequence, string headHash)
    {
        var expected = (from?.Sequence ?? 0) + 1;
        var previous = from?.HeadHash ?? "";
        foreach (var (sequence, previousHash, hash, recomputed) in entries)
        {
            if (sequence != expected || previousHash != previous || hash != recomputed) return false;
            previous = hash;
            expected++;
        }

        return expected - 1 == headSequence && previous == headHash;
    }

    private CheckpointRecord? Sign(WorkflowDbContext db, string stream, long sequence, string headHash, string hashAlgorithm, string reason, DateTime now)
    {
        KeyMaterial key;
        try
        {
            key = keys.Current;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A checkpoint missed is signed by the next one or the sweep; the case's own work must not fail for it.
            logger.LogError(ex, "No signing key: the head of {Stream} at entry {Sequence} is not signed", stream, sequence);
            return null;
        }

        var checkpoint = new CheckpointRecord
        {
            Id = Guid.NewGuid(), Stream = stream, Sequence = sequence, HeadHash = headHash, HashAlgorithm = hashAlgorithm,
            SignatureAlgorithm = key.Algorithm, KeyId = key.KeyId, SignedAt = JournalHasher.Truncate(now), Signature = "", Reason = reason,
        };
        checkpoint.Signature = Convert.ToBase64String(Signatures.Sign(key, CheckpointMessage.Of(checkpoint)));
        db.Checkpoints.Add(checkpoint);
        if (options.Value.Anchored) db.Outbox.Add(CheckpointAnchor.Message(checkpoint, now));
        return checkpoint;
    }
}

/// <summary>The hash of a global stream's entry.</summary>
internal static class StreamHasher
{
    public static string Compute(StreamEntryRecord entry) => !HashAlgorithms.IsKnown(entry.Algorithm) ? "unknown-algorithm" : ChainDigest.Begin(entry.Algorithm)
        .Field("pds-stream/1")
        .Field(entry.Algorithm)
        .Field(entry.Stream)
        .Field(entry.Sequence)
        .Field(entry.Timestamp)
        .Field(entry.Records)
        .Field(entry.PreviousHash)
        .FinishHex();
}
