using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>When the engine cancels a step's wait point (a join, an end, a return, a cancelled case), its open tasks go too.</summary>
public sealed class TaskBookmarkObserver(TimeProvider clock) : IBookmarkObserver
{
    public async Task OnBookmarkCancelledAsync(WorkflowDbContext db, BookmarkInfo bookmark, CancellationToken cancellationToken)
    {
        if (bookmark.Name != UserTask.DecisionBookmark) return;
        // Tasks created earlier in the same burst are not in the database yet: look in the unit of work too.
        await db.Tasks.Where(t => t.BookmarkId == bookmark.Id).LoadAsync(cancellationToken);
        var tasks = db.Tasks.Local.Where(t => t.BookmarkId == bookmark.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var task in tasks.Where(t => TaskStatuses.IsActive(t.Status)))
        {
            var before = TaskAudit.Snapshot(task);
            task.Cancel(now);
            db.TaskActions.Add(TaskAudit.Action(task, TaskActions.Cancelled, "system", now, "环节已撤销", before));
        }
    }
}
