using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
}
