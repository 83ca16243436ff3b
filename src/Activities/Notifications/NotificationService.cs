using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Notifications;

public sealed record NotificationView(Guid Id, string Type, string Title, string Body, Guid? InstanceId, Guid? TaskId, DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    internal static NotificationView From(NotificationRecord r) => new(r.Id, r.Type, r.Title, r.Body, r.InstanceId, r.TaskId, Utc(r.CreatedAt),
        r.ReadAt is { } read ? Utc(read) : null);

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}

public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, int Total, int Unread);

/// <summary>A user's in-app notifications (站内消息): newest first, the unread count, marking read. A user sees only their own.</summary>
public sealed class NotificationService(NotificationDatabase database, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    public async Task<int> UnreadCountAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    public async Task<NotificationPage> ListAsync(string userId, bool unreadOnly = false, int skip = 0, int take = 20,
        CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        var listed = unreadOnly ? mine.Where(n => n.ReadAt == null) : mine;
        var items = await listed.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return new NotificationPage(items.Select(NotificationView.From).ToList(), await listed.CountAsync(cancellationToken),
            await mine.CountAsync(n => n.ReadAt == null, cancellationToken));
    }

    public async Task<WorkflowResult<NotificationView>> MarkReadAsync(string userId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var record = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, cancellationToken);
        if (record is null)
            return new WorkflowError(WorkflowErrorKind.NotFound, "notification_not_found", "消息不存在", $"找不到消息 {id}。");
        record.MarkRead(Now);
        await db.SaveChangesAsync(cancellationToken);
        return NotificationView.From(record);
    }

    /// <summary>Marks every unread notification of the user read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var now = Now;
        return await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }

    private DateTime Now => NotificationRecord.Stored(clock.GetUtcNow().UtcDateTime);
}
