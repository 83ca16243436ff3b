using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// History without the engine: copies of one case the engine really finished, written in bulk (<see cref="BulkLoader"/>)
/// into every table a case leaves rows in (instance, tasks, candidates, bookmarks, journal, audit rows, outbox, checkpoint),
/// so the tables hold what that many finished cases would leave (their notices sent), row for row and byte for byte. Each copy gets its own ids
/// (derived from the template's id and the copy's number, so the tables agree without a map in memory), its own business
/// number, outbox keys and checkpoint stream, and people spread over 2,000 users. The journal is not re-hashed: nothing
/// in a completion reads a finished case's chain.
/// </summary>
internal static class HistorySeeder
{
    private const int People = 2_000;

    /// <summary>Rows written per table, for the report.</summary>
    public sealed record Seeded(int Cases, IReadOnlyDictionary<string, int> RowsPerCase)
    {
        public long Rows => (long)Cases * RowsPerCase.Values.Sum();
    }

    public static async Task<Seeded> CopyAsync(BenchEngine bench, Guid template, int copies, string[] people)
    {
        await using var db = await bench.ContextAsync();
        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == template);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == template).ToListAsync();
        var taskIds = tasks.Select(t => t.Id).ToList();
        var stream = StreamKeys.Instance(template);
        var remap = new Remap(template, instance.DefinitionVersionId, instance.UpdatedAt, people);
        var perCase = new Dictionary<string, int>();

        async Task TableAsync<TRow>(IReadOnlyList<TRow> rows) where TRow : class
        {
            var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException(typeof(TRow).Name);
            var table = entity.GetTableName()!;
            perCase[table] = rows.Count;
            if (copies == 0 || rows.Count == 0) return;
            var properties = entity.GetProperties().ToList();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await using (var loader = await BulkLoader.OpenAsync(bench, table, properties.Select(p => p.GetColumnName()).ToArray()))
            {
                var values = new object?[properties.Count];
                for (var copy = 1; copy <= copies; copy++)
                    foreach (var row in rows)
                    {
                        for (var k = 0; k < properties.Count; k++)
                            values[k] = remap.Value(copy, table, properties[k].Name, properties[k].PropertyInfo!.GetValue(row));
                        await loader.RowAsync(values);
                    }
            }

            Console.Error.WriteLine($"history: {(long)copies * rows.Count:N0} rows of {table} in {watch.Elapsed.TotalSeconds:0.0} s");
        }

        await TableAsync([instance]);
        await TableAsync(tasks);
        await TableAsync(await db.TaskCandidates.AsNoTracking().Where(c => taskIds.Contains(c.TaskId)).ToListAsync());
        await TableAsync(await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == template).ToListAsync());
        await TableAsync(await db.Journal.AsNoTracking().Where(j => j.InstanceId == template).ToListAsync());
        await TableAsync(await db.TaskActions.AsNoTracking().Where(a => a.InstanceId == template).ToListAsync());
        await TableAsync(await db.Outbox.AsNoTracking().Where(m => m.InstanceId == template).ToListAsync());
        await TableAsync(await db.Checkpoints.AsNoTracking().Where(c => c.Stream == stream).ToListAsync());
        return new Seeded(copies, perCase);
    }

    /// <summary>How a template's value becomes copy <c>n</c>'s.</summary>
    private sealed class Remap(Guid template, Guid definitionVersion, DateTime sent, string[] people)
    {
        private readonly string _templateStream = template.ToString("N");

        public object? Value(int copy, string table, string column, object? value) => (table, column, value) switch
        {
            (_, _, Guid id) when id == definitionVersion => id,
            (_, _, Guid id) => Derived(id, copy),
            (_, "BusinessNumber", string) => $"历史-2025-{copy:D7}",
            (WorkflowDbContext.Tables.Outbox, "Key", string key) => $"{key}:{copy}",
            (WorkflowDbContext.Tables.Checkpoints, "Stream", string name) => name.Replace(_templateStream, Derived(template, copy).ToString("N"), StringComparison.Ordinal),
            (WorkflowDbContext.Tables.Outbox, "SentAt", null) => sent,
            (_, _, string person) when people.Contains(person) => $"h{(copy * 7 + Array.IndexOf(people, person)) % People:D4}",
            _ => value,
        };

        /// <summary>The copy's id for a template id: random-looking (spread over the key space like the engine's own ids) yet the same in every table.</summary>
        private static Guid Derived(Guid id, int copy)
        {
            Span<byte> input = stackalloc byte[20];
            id.TryWriteBytes(input);
            BitConverter.TryWriteBytes(input[16..], copy);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(input, hash);
            return new Guid(hash[..16]);
        }
    }
}
