using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PdsWorkflow.Workflows.Tests.Timers;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tests.Outbox;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class OutboxDispatcherTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private readonly RecordingHandler _handler = new();
    private readonly CrashingObserver _crash = new();

    private OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();
    private OutboxAdmin Admin => Services.GetRequiredService<OutboxAdmin>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<IOutboxHandler>(_handler);
        services.AddOutboxHandler<UnconfiguredHandler>();
        services.AddSingleton<IOutboxDeliveryObserver>(_crash);
        services.AddOutbox(configure: o =>
        {
            o.FirstRetryDelay = TimeSpan.FromSeconds(10);
            o.MaxRetryDelay = TimeSpan.FromSeconds(15);
            o.MaxAttempts = 3;
        });
    }

    [Test]
    public async Task Due_messages_are_handed_over_with_their_key_and_marked_sent_and_later_ones_wait()
    {
        var now = await EnqueueAsync(RecordingHandler.Type);
        var later = await EnqueueAsync(RecordingHandler.Type, due: TimeSpan.FromMinutes(1));

        await DispatchAllAsync();
        Assert.That(_handler.Keys, Does.Contain(now.Key).And.Not.Contain(later.Key));
        Assert.That((await ReloadAsync(now)).SentAt, Is.EqualTo(Clock.GetUtcNow().UtcDateTime).Within(TimeSpan.FromSeconds(1)));
        Assert.That((await ReloadAsync(later)).SentAt, Is.Null);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await DispatchAllAsync();
        Assert.That(_handler.Keys.Count(k => k == later.Key), Is.EqualTo(1));
        Assert.That((await ReloadAsync(now)).Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task The_dispatcher_service_delivers_at_once_and_then_on_each_tick_of_its_clock()
    {
        // The service's own timer runs on a fake clock with an hour between ticks: only moving that clock can make it tick.
        var timer = new FakeTimeProvider(Clock.GetUtcNow());
        var poll = TimeSpan.FromHours(1);
        using var service = new OutboxDispatcherService(Dispatcher, timer, Options.Create(new OutboxOptions { PollInterval = poll }),
            NullLogger<OutboxDispatcherService>.Instance);
        var now = await EnqueueAsync(RecordingHandler.Type);
        var next = await EnqueueAsync(RecordingHandler.Type, due: poll);

        await service.StartAsync(CancellationToken.None);
        await TimerScenarios.WaitUntilAsync(() => Task.FromResult(_handler.Keys.Contains(now.Key)), "the first pass delivered the due message");
        Assert.That(_handler.Keys, Does.Not.Contain(next.Key), "not due yet");
        Clock.Advance(poll);
        timer.Advance(poll);
        await TimerScenarios.WaitUntilAsync(() => Task.FromResult(_handler.Keys.Contains(next.Key)), "the next tick delivered the message due by then");
        await service.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Failures_back_off_then_become_a_dead_letter_that_an_operator_sees_and_retries()
    {
        var message = await EnqueueAsync(RecordingHandler.Type);
        _handler.Failing.TryAdd(message.Key, 0);

        await DispatchAllAsync();
        var first = await ReloadAsync(message);
        Assert.That((first.Attempts, first.SentAt, first.DeadAt), Is.EqualTo((1, (DateTime?)null, (DateTime?)null)));
        Assert.That(first.NextAttemptAt, Is.EqualTo(Clock.GetUtcNow().UtcDateTime.AddSeconds(10)).Within(TimeSpan.FromSeconds(1)));
        Assert.That(first.LastError, Does.Contain("refused by the test peer"));

        await DispatchAllAsync();
        Assert.That((await ReloadAsync(message)).Attempts, Is.EqualTo(1), "not due before its back-off");
        Clock.Advance(TimeSpan.FromSeconds(10));
        await DispatchAllAsync();
        var second = await ReloadAsync(message);
        Assert.That(second.NextAttemptAt, Is.EqualTo(Clock.GetUtcNow().UtcDateTime.AddSeconds(15)).Within(TimeSpan.FromSeconds(1)), "doubled, capped at the maximum");
        Clock.Advance(TimeSpan.FromSeconds(15));
        await DispatchAllAsync();

        var dead = await ReloadAsync(message);
        Assert.That((dead.Attempts, dead.DeadAt.HasValue, dead.SentAt), Is.EqualTo((3, true, (DateTime?)null)));
        Assert.That((await Admin.DeadLettersAsync()).Select(m => m.Key), Does.Contain(message.Key));
        Clock.Advance(TimeSpan.FromDays(1));
        await DispatchAllAsync();
        Assert.That(_handler.Keys.Count(k => k == message.Key), Is.EqualTo(3), "a dead letter is left alone");

        _handler.Failing.TryRemove(message.Key, out _);
        Assert.That((await Admin.RetryAsync(message.Id, "operator")).IsSuccess, Is.True);
        await DispatchAllAsync();
        var sent = await ReloadAsync(message);
        Assert.That((sent.SentAt.HasValue, sent.DeadAt, sent.LastError), Is.EqualTo((true, (DateTime?)null, (string?)null)));
        Assert.That((await Admin.DeadLettersAsync()).Select(m => m.Key), Does.Not.Contain(message.Key));
        Assert.That((await Admin.RetryAsync(message.Id, "operator")).Error?.Code, Is.EqualTo("outbox_message_not_dead"));
    }

    [Test]
    public async Task Messages_whose_handler_is_not_configured_wait_untouched()
    {
        var message = await EnqueueAsync(UnconfiguredHandler.Type);

        await DispatchAllAsync();

        var waiting = await ReloadAsync(message);
        Assert.That((waiting.Attempts, waiting.SentAt, waiting.DeadAt), Is.EqualTo((0, (DateTime?)null, (DateTime?)null)));
        Assert.That(Dispatcher.DeliveredTypes, Does.Not.Contain(UnconfiguredHandler.Type));
    }

    [Test]
    public async Task A_crash_between_delivery_and_record_delivers_again_under_the_same_key()
    {
        var message = await EnqueueAsync(RecordingHandler.Type);
        _crash.CrashNext(message.Key);

        Assert.ThrowsAsync<CrashException>(DispatchAllAsync);
        var unrecorded = await ReloadAsync(message);
        Assert.That((unrecorded.Attempts, unrecorded.SentAt), Is.EqualTo((0, (DateTime?)null)), "nothing was recorded");
        Assert.That(_handler.Keys.Count(k => k == message.Key), Is.EqualTo(1), "but it was delivered");

        await DispatchAllAsync();

        Assert.That(_handler.Keys.Count(k => k == message.Key), Is.EqualTo(2), "delivered again, with the same key");
        Assert.That((await ReloadAsync(message)).SentAt, Is.Not.Null);
    }

    private async Task DispatchAllAsync()
    {
        while (await Dispatcher.DispatchDueAsync(CancellationToken.None) > 0)
        {
        }
    }

    private async Task<OutboxRecord> EnqueueAsync(string type, TimeSpan due = default)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var record = new OutboxRecord
        {
            Id = Guid.NewGuid(), Type = type, Key = $"test:{Guid.NewGuid():N}", PayloadJson = """{"n":1}""", CreatedAt = now, NextAttemptAt = now + due,
        };
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        db.Outbox.Add(record);
        await db.SaveChangesAsync();
        return record;
    }

    private async Task<OutboxRecord> ReloadAsync(OutboxRecord record)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == record.Id);
    }
}

/// <summary>Several Host nodes on one PostgreSQL database: each claims with SKIP LOCKED, so each message goes out once.</summary>
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ClusteredOutboxTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private readonly RecordingHandler _handler = new() { Delay = TimeSpan.FromMilliseconds(5) };

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<IOutboxHandler>(_handler);
        services.AddOutbox(configure: o => o.BatchSize = 7);
    }

    [Test]
    public async Task Three_dispatchers_working_at_once_hand_each_message_over_exactly_once()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var keys = Enumerable.Range(0, 60).Select(i => $"cluster:{i}:{Guid.NewGuid():N}").ToList();
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            db.Outbox.AddRange(keys.Select(k => new OutboxRecord { Id = Guid.NewGuid(), Type = RecordingHandler.Type, Key = k, PayloadJson = "{}", CreatedAt = now, NextAttemptAt = now }));
            await db.SaveChangesAsync();
        }

        // Three nodes: separate dispatchers (the Host has one per node) over the same database.
        var nodes = Enumerable.Range(0, 3).Select(_ => ActivatorUtilities.CreateInstance<OutboxDispatcher>(Services)).ToList();
        var handled = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            var count = 0;
            while (await node.DispatchDueAsync(CancellationToken.None) is var n and > 0) count += n;
            return count;
        })));

        Assert.That(_handler.Keys.Order(), Is.EqualTo(keys.Order()), "every message once");
        Assert.That(handled.Sum(), Is.EqualTo(keys.Count));
        Assert.That(handled, Has.Some.GreaterThan(0).And.Some.LessThan(keys.Count), () => $"the nodes shared the work: {string.Join(", ", handled)}");
    }
}

public sealed class RecordingHandler : IOutboxHandler
{
    public const string Type = "test.recorded";

    public ConcurrentQueue<string> Keys { get; } = new();
    public ConcurrentDictionary<string, byte> Failing { get; } = new();
    public TimeSpan Delay { get; init; }

    public string MessageType => Type;

    public async Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        Keys.Enqueue(message.Key);
        if (Failing.ContainsKey(message.Key)) throw new InvalidOperationException("refused by the test peer");
    }
}

public sealed class UnconfiguredHandler : IOutboxHandler
{
    public const string Type = "test.unconfigured";

    public string MessageType => Type;
    public bool IsConfigured => false;

    public Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("never called");
}

public sealed class CrashException() : Exception("injected: the node died before recording the delivery");

/// <summary>Dies after the named message was delivered and before it was recorded.</summary>
public sealed class CrashingObserver : IOutboxDeliveryObserver
{
    private readonly ConcurrentDictionary<string, byte> _next = new();

    public void CrashNext(string key) => _next.TryAdd(key, 0);

    public Task DeliveredAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        _next.TryRemove(message.Key, out _) ? throw new CrashException() : Task.CompletedTask;
}
