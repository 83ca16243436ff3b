using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Persistence;

/// <summary>What each dialect promises, on its own database: the statements, the claim and the error classes.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class DatabaseDialectTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private WorkflowStore Store => Services.GetRequiredService<WorkflowStore>();

    [Test]
    public async Task A_context_knows_the_dialect_of_the_database_it_is_on()
    {
        await using var db = await Store.CreateContextAsync(CancellationToken.None);
        Assert.That(db.Dialect, Is.SameAs(Store.Dialect));
        Assert.That(db.Dialect.Provider, Is.EqualTo(Provider));
        Assert.That(DatabaseDialect.For(Provider), Is.SameAs(Store.Dialect));
    }

    [Test]
    public async Task Insert_or_ignore_inserts_a_row_once_and_leaves_it_as_it_was_the_second_time()
    {
        await using var db = await Store.CreateContextAsync(CancellationToken.None);
        var prefix = Prefix();
        var first = await db.Dialect.InsertOrIgnoreAsync(db.Database, WorkflowDbContext.Tables.BusinessNumbers,
            [("Prefix", prefix), ("Year", 2026), ("LastValue", 5L)], CancellationToken.None);
        var second = await db.Dialect.InsertOrIgnoreAsync(db.Database, WorkflowDbContext.Tables.BusinessNumbers,
            [("Prefix", prefix), ("Year", 2026), ("LastValue", 9L)], CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((1, 0)));
        Assert.That(await db.BusinessNumbers.Where(n => n.Prefix == prefix).Select(n => n.LastValue).SingleAsync(), Is.EqualTo(5));
    }

    [Test]
    public async Task A_counter_starts_at_one_and_concurrent_callers_never_get_the_same_value()
    {
        var prefix = Prefix();
        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var db = await Store.CreateContextAsync(CancellationToken.None);
            return await db.Dialect.IncrementAsync(db.Database, WorkflowDbContext.Tables.BusinessNumbers, [("Prefix", prefix), ("Year", 2026)],
                "LastValue", CancellationToken.None);
        })));

        Assert.That(values.Order(), Is.EqualTo(Enumerable.Range(1, 8).Select(v => (long)v)));
    }

    [Test]
    public async Task A_second_row_with_the_same_key_is_a_unique_violation_and_not_worth_retrying()
    {
        var prefix = Prefix();
        await using (var db = await Store.CreateContextAsync(CancellationToken.None))
        {
            db.BusinessNumbers.Add(new BusinessNumberRecord { Prefix = prefix, Year = 2026, LastValue = 1 });
            await db.SaveChangesAsync();
        }

        await using var again = await Store.CreateContextAsync(CancellationToken.None);
        again.BusinessNumbers.Add(new BusinessNumberRecord { Prefix = prefix, Year = 2026, LastValue = 2 });
        var refused = Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());

        Assert.That(Store.Dialect.IsUniqueViolation(refused!), Is.True);
        Assert.That(Store.Dialect.IsTransient(refused!), Is.False);
        Assert.That(Store.Dialect.IsUniqueViolation(new InvalidOperationException("not the database")), Is.False);
    }

    [Test]
    public async Task An_outbox_claim_takes_the_oldest_due_message_and_on_a_shared_server_a_second_node_skips_it()
    {
        var type = "test." + Prefix();
        var now = Clock.GetUtcNow().UtcDateTime;
        await using (var db = await Store.CreateContextAsync(CancellationToken.None))
        {
            foreach (var (key, due) in new[] { ("later", now.AddMinutes(-1)), ("oldest", now.AddMinutes(-5)), ("future", now.AddMinutes(5)) })
            {
                db.Outbox.Add(new OutboxRecord
                {
                    Id = Guid.NewGuid(), Type = type, Key = $"{type}:{key}", PayloadJson = "{}", CreatedAt = now, NextAttemptAt = due,
                });
            }

            await db.SaveChangesAsync();
        }

        await using var node1 = await Store.CreateContextAsync(CancellationToken.None);
        var first = await node1.Dialect.ClaimOutboxMessageAsync(node1, now, [type], CancellationToken.None);
        Assert.That(first?.Key, Is.EqualTo($"{type}:oldest"));

        await using var node2 = await Store.CreateContextAsync(CancellationToken.None);
        var second = await node2.Dialect.ClaimOutboxMessageAsync(node2, now, [type], CancellationToken.None);
        if (Store.Dialect.AllowsConcurrentWriters)
        {
            // The first claim holds its row lock until node1's transaction ends: node2 takes the next due message.
            Assert.That(node1.Database.CurrentTransaction, Is.Not.Null);
            Assert.That(second?.Key, Is.EqualTo($"{type}:later"));
        }
        else
        {
            // One node dispatches on SQLite, without a transaction held while a handler runs.
            Assert.That(node1.Database.CurrentTransaction, Is.Null);
            Assert.That(second?.Key, Is.EqualTo($"{type}:oldest"));
        }
    }

    private static string Prefix() => "T" + Guid.NewGuid().ToString("N")[..8];
    [Test]
    public async Task Rows_written_in_one_multi_row_insert_read_back_as_entity_framework_writes_them()
    {
        var instance = Guid.NewGuid();
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1230);
        // More rows than one SQLite statement takes (a few hundred values): several statements, one transaction.
        var rows = Enumerable.Range(1, 40).Select(i => new JournalRecord
        {
            InstanceId = instance, Sequence = i, Timestamp = at.AddSeconds(i), EventName = "Note", ActivityExecutionId = i == 2 ? null : Guid.NewGuid(),
            Message = $"第 {i} 条", InputsJson = i == 1 ? "{\"a\":1}" : null, Algorithm = "SM3", PreviousHash = "p", Hash = $"h{i}",
        }).ToList();
        await using (var db = await Store.CreateContextAsync(CancellationToken.None))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var row in rows) db.Journal.Add(row);
            var sql = new System.Text.StringBuilder();
            var parameters = new List<object>();
            await using (var factory = db.Database.GetDbConnection().CreateCommand())
                db.Dialect.AppendInsert(sql, parameters, factory, rows.Select(r => db.Entry(r)).Cast<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry>().ToList(),
                    ignoreConflicts: false);
            Assert.That(await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters), Is.EqualTo(40));
            await transaction.CommitAsync();
        }

        await using var read = await Store.CreateContextAsync(CancellationToken.None);
        var stored = await read.Journal.AsNoTracking().Where(j => j.InstanceId == instance).OrderBy(j => j.Sequence).ToListAsync();
        Assert.That(stored.Select(j => (j.Sequence, j.Timestamp, j.ActivityExecutionId, j.Message, j.InputsJson, j.Hash)),
            Is.EqualTo(rows.Select(j => (j.Sequence, j.Timestamp, j.ActivityExecutionId, j.Message, j.InputsJson, j.Hash))));
        // The same rows found by their typed keys, as EF Core's own queries look them up.
        var executionId = rows[0].ActivityExecutionId!.Value;
        Assert.That(await read.Journal.CountAsync(j => j.ActivityExecutionId == executionId && j.Timestamp == rows[0].Timestamp), Is.EqualTo(1));
    }

    [Test]
    public async Task A_row_inserted_unless_its_key_is_taken_is_written_once_and_the_second_is_not_tracked()
    {
        OutboxRecord Message() => new()
        {
            Id = Guid.NewGuid(), Type = "test", Key = $"dialect-{Prefix()}", PayloadJson = "{}", CreatedAt = DateTime.UnixEpoch, NextAttemptAt = DateTime.UnixEpoch,
        };
        var first = Message();
        var second = Message();
        second.Key = first.Key;
        await using (var db = await Store.CreateContextAsync(CancellationToken.None))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.That(await db.InsertUnlessKeyTakenAsync(first, CancellationToken.None), Is.True);
            Assert.That(await db.InsertUnlessKeyTakenAsync(second, CancellationToken.None), Is.False);
            Assert.That(db.Entry(second).State, Is.EqualTo(EntityState.Detached));
            Assert.That(db.Entry(first).State, Is.EqualTo(EntityState.Added), "seen as a new row by the rest of the unit of work");
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var read = await Store.CreateContextAsync(CancellationToken.None);
        Assert.That(await read.Outbox.Where(m => m.Key == first.Key).Select(m => m.Id).ToListAsync(), Is.EqualTo(new[] { first.Id }));
    }

    [Test]
    public async Task A_pooled_context_comes_back_without_what_its_last_lease_set()
    {
        await using (var replay = await Store.CreateContextAsync(CancellationToken.None)) replay.SealSuspended = true;
        for (var i = 0; i < 8; i++)
        {
            await using var db = await Store.CreateContextAsync(CancellationToken.None);
            Assert.That(db.SealSuspended, Is.False, "a later lease's saves are sealed");
        }
    }
    [Test]
    public async Task Rows_removed_and_added_again_under_the_same_key_in_one_transactional_save_are_saved()
    {
        var user = $"batched-{Prefix()}";
        UserRoleRecord[] Roles() =>
        [
            new() { UserId = user, Role = "a", OrgUnitId = "u" },
            new() { UserId = user, Role = "b", OrgUnitId = "u" },
        ];
        await using (var db = await Store.CreateContextAsync(CancellationToken.None))
        {
            db.UserRoles.AddRange(Roles());
            await db.SaveChangesAsync();
        }

        await using (var db = await Store.CreateContextAsync(CancellationToken.None))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.UserRoles.RemoveRange(await db.UserRoles.Where(r => r.UserId == user).ToListAsync());
            db.UserRoles.AddRange(Roles());
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var read = await Store.CreateContextAsync(CancellationToken.None);
        Assert.That(await read.UserRoles.Where(r => r.UserId == user).Select(r => r.Role).OrderBy(r => r).ToListAsync(), Is.EqualTo(new[] { "a", "b" }));
    }
}
