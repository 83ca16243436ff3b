using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>
/// A table whose rows are history (task actions, attachments, messages, holiday notices, a security log…). Every row
/// written, changed or deleted through the engine's database gets its digest recorded in a chain in the same unit of
/// work (<see cref="IntegritySeal"/>): the journal of the row's instance, or the kind's global stream. Verification
/// recomputes each row's digest and compares (<see cref="RecordCoverage"/>).
/// </summary>
public abstract class RecordKind
{
    private protected RecordKind(string code, string displayName, string? globalStream)
    {
        if (code.Length is 0 or > 40 || code.Any(c => c is ' ' or '\n')) throw new ArgumentException($"Invalid record kind code '{code}'.", nameof(code));
        if (globalStream is not null && !StreamKeys.IsValidGlobal(globalStream))
            throw new ArgumentException($"Invalid global stream name '{globalStream}'.", nameof(globalStream));
        Code = code;
        DisplayName = displayName;
        GlobalStream = globalStream;
    }

    /// <summary>The stable name in record digests (<c>task-action</c>).</summary>
    public string Code { get; }

    /// <summary>What the auditor reads (办理记录).</summary>
    public string DisplayName { get; }

    /// <summary>The global stream the rows are attested in; null when each row belongs to an instance's journal.</summary>
    public string? GlobalStream { get; }

    public abstract Type EntityType { get; }

    internal abstract bool HasOrder { get; }

    /// <summary>Whether this row is history at all (an outbox message of no case is not).</summary>
    internal virtual bool Covers(object row) => true;

    internal abstract Guid? InstanceOf(object row);

    internal abstract string IdOf(object row);

    /// <summary>When the row was written (its order time): rows older than a chain's first attesting entry predate the attestation.</summary>
    internal abstract DateTime WrittenAt(object row);

    /// <summary>The row's digest; with <paramref name="orderFrom"/>, its content with another row's order fields (to recognise a swap).</summary>
    internal abstract string Digest(string algorithm, object row, object? orderFrom = null);

    /// <summary>A short description for the auditor (who, what, when).</summary>
    internal abstract string Describe(object row);

    internal abstract Task<List<object>> LoadAsync(WorkflowDbContext db, Guid? instanceId, CancellationToken cancellationToken);
}

/// <summary>A <see cref="RecordKind"/> of one entity type of the engine's database.</summary>
/// <param name="content">Writes the fields that must not change, in a fixed order.</param>
/// <param name="order">Writes the fields that order the rows as history shows them (time, sequence); null when none.</param>
public sealed class RecordKind<T> : RecordKind where T : class
{
    private readonly Func<T, string> _id;
    private readonly Func<T, DateTime> _writtenAt;
    private readonly Action<ChainDigest, T> _content;
    private readonly Action<ChainDigest, T>? _order;
    private readonly Func<T, string> _describe;
    private readonly Expression<Func<T, Guid?>>? _instance;
    private readonly Func<T, Guid?>? _instanceOf;
    private readonly Expression<Func<T, bool>>? _filter;
    private readonly Func<T, bool> _covers;

    public RecordKind(string code, string displayName, Func<T, string> id, Func<T, DateTime> writtenAt, Action<ChainDigest, T> content,
        Action<ChainDigest, T>? order, Func<T, string> describe, Expression<Func<T, Guid?>>? instance = null, string? globalStream = null,
        Expression<Func<T, bool>>? filter = null)
        : base(code, displayName, globalStream)
    {
        if ((instance is null) == (globalStream is null)) throw new ArgumentException("A record kind belongs either to instances or to one global stream.");
        _id = id;
        _writtenAt = writtenAt;
        _content = content;
        _order = order;
        _describe = describe;
        _instance = instance;
        _instanceOf = instance?.Compile();
        _filter = filter;
        _covers = filter?.Compile() ?? (_ => true);
    }

    public override Type EntityType => typeof(T);

    internal override bool HasOrder => _order is not null;

    internal override bool Covers(object row) => _covers((T)row);

    internal override Guid? InstanceOf(object row) => _instanceOf?.Invoke((T)row);

    internal override string IdOf(object row) => _id((T)row);

    internal override DateTime WrittenAt(object row) => _writtenAt((T)row);

    internal override string Digest(string algorithm, object row, object? orderFrom = null)
    {
        var digest = ChainDigest.Begin(algorithm).Field("pds-record/1").Field(Code).Field(_id((T)row));
        _content(digest, (T)row);
        _order?.Invoke(digest, (T)(orderFrom ?? row));
        return digest.FinishHex();
    }

    internal override string Describe(object row) => _describe((T)row);

    internal override async Task<List<object>> LoadAsync(WorkflowDbContext db, Guid? instanceId, CancellationToken cancellationToken)
    {
        IQueryable<T> rows = db.Set<T>().AsNoTracking();
        if (_filter is not null) rows = rows.Where(_filter);
        if (_instance is not null)
        {
            var match = Expression.Lambda<Func<T, bool>>(Expression.Equal(_instance.Body, Expression.Constant(instanceId, typeof(Guid?))), _instance.Parameters);
            rows = rows.Where(match);
        }

        return (await rows.ToListAsync(cancellationToken)).Cast<object>().ToList();
    }
}

/// <summary>The record kinds registered (<see cref="IntegrityServiceCollectionExtensions.AddCoveredRecords{T}"/>), by entity type.</summary>
public sealed class CoveredRecords(IEnumerable<RecordKind> kinds)
{
    private readonly Dictionary<Type, RecordKind> _byType = kinds.GroupBy(k => k.EntityType).ToDictionary(g => g.Key, g => g.Last());

    public IReadOnlyCollection<RecordKind> All => _byType.Values;

    internal RecordKind? Find(Type type) => _byType.GetValueOrDefault(type);

    internal RecordKind? FindCode(string code) => _byType.Values.FirstOrDefault(k => k.Code == code);

    public IReadOnlyList<string> GlobalStreams => _byType.Values.Select(k => k.GlobalStream).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// The <c>Records</c> text of a chain entry: one <c>kind id digest</c> line per record written; a deleted record's
/// digest is <c>-</c>.
/// </summary>
internal static class RecordDigests
{
    public const string Deleted = "-";

    public readonly record struct Item(string Kind, string Id, string Digest);

    public static string Line(string kind, string id, string digest) => $"{kind} {id} {digest}";

    public static IEnumerable<Item> Parse(string? records)
    {
        if (string.IsNullOrEmpty(records)) yield break;
        foreach (var line in records.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3) yield return new Item(parts[0], parts[1], parts[2]);
        }
    }
}
