using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Outbox;

/// <summary>An outbox message as an operator sees it: never its payload.</summary>
public sealed record OutboxMessageView(Guid Id, string Type, string Key, Guid? InstanceId, DateTime CreatedAt, int Attempts,
    DateTime NextAttemptAt, DateTime? SentAt, DateTime? DeadAt, string? LastError);

/// <summary>What an operator does with the outbox: see the dead letters and send one again.</summary>
public sealed class OutboxAdmin(WorkflowStore store, TimeProvider clock, ILogger<OutboxAdmin> logger)
{
    public async Task<IReadOnlyList<OutboxMessageView>> DeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().Where(m => m.DeadAt != null).OrderBy(m => m.DeadAt)
            .Select(m => new OutboxMessageView(m.Id, m.Type, m.Key, m.InstanceId, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.SentAt, m.DeadAt, m.LastError))
            .ToListAsync(cancellationToken);
    }

    public async Task<OutboxMessageView?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new OutboxMessageView(m.Id, m.Type, m.Key, m.InstanceId, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.SentAt, m.DeadAt, m.LastError))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Makes a dead letter due now with a fresh count of attempts (its last error is kept until the next attempt).
    /// It keeps its key, so a receiver that already has it recognises the repeat.
    /// </summary>
    public async Task<WorkflowResult<OutboxMessageView>> RetryAsync(Guid id, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var message = await db.Outbox.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
            return new WorkflowError(WorkflowErrorKind.NotFound, "outbox_message_not_found", "消息不存在", $"发件箱中没有消息 {id}。");
        if (message.DeadAt is null)
            return new WorkflowError(WorkflowErrorKind.Conflict, "outbox_message_not_dead", "消息未处于投递失败状态",
                message.SentAt is null ? $"消息 {id} 仍在等待投递。" : $"消息 {id} 已投递，不能重发。");
        message.DeadAt = null;
        message.Attempts = 0;
        message.NextAttemptAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Outbox message {MessageId} ({Type}) retried by {Actor}", message.Id, message.Type, actor);
        return new OutboxMessageView(message.Id, message.Type, message.Key, message.InstanceId, message.CreatedAt, message.Attempts,
            message.NextAttemptAt, message.SentAt, message.DeadAt, message.LastError);
    }
}
