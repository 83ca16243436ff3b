using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// Filters of the inbox lists. Levels and "due within" are answered from the stored due and yellow instants; the text
/// is searched in the task's title and the case's labels copied onto it (业务编号, applicant unit, summary, process).
/// </summary>
public sealed record InboxQuery
{
    public string? DefinitionId { get; init; }

    /// <summary>The applicant's unit, or the unit the task acts for.</summary>
    public string? OrgUnitId { get; init; }

    public WarningLevel? Level { get; init; }
    public int? DueWithinWorkingDays { get; init; }
    public string? Search { get; init; }
    public InboxSort Sort { get; init; } = InboxSort.Due;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
}

/// <summary>The order of an inbox list: by due date (tasks without one last) or by arrival, either way round.</summary>
public enum InboxSort
{
    Due,
    DueDescending,
    Created,
    CreatedDescending,
}

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed record InboxCounts(int Mine, int Claimable, int Yellow, int Red, int UnreadCopies, int OpenApplications);

public sealed record CopyView(Guid Id, Guid InstanceId, Guid? TaskId, string? Title, string CopiedBy, string? Note, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public string? CopiedByName { get; init; }
    public string? ProcessName { get; init; }
    public string? BusinessNumber { get; init; }
    public string? ApplicantOrgUnitName { get; init; }
    public string? Summary { get; init; }

    /// <summary>The due date of the step the case was copied from.</summary>
    public DateTimeOffset? DueAt { get; init; }
}

/// <summary>An open step of a case: who holds it (<see cref="Holders"/>: the assignee's or the candidates' names) and when it is due.</summary>
public sealed record CurrentStep(Guid TaskId, string Title, string? AssigneeId, IReadOnlyList<string> Candidates, DateTimeOffset? DueAt, WarningLevel? Level)
{
    public IReadOnlyList<string> Holders { get; init; } = [];
}

public sealed record ApplicationView(Guid InstanceId, string DefinitionId, string? ProcessName, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, IReadOnlyList<CurrentStep> CurrentSteps)
{
    public string? BusinessNumber { get; init; }
    public string? Summary { get; init; }

    /// <summary>Started and not yet submitted: the applicant's own step is open and nothing was decided.</summary>
    public bool IsDraft { get; init; }

    /// <summary>The earliest due date of the open steps.</summary>
    public DateTimeOffset? DueAt { get; init; }
}

/// <summary>The inbox: my tasks, tasks I can claim, done by me, copied to me, applications I started, and the badge counts.</summary>
public sealed class TaskQueries(WorkflowStore store, TimeProvider clock, IServiceProvider services)
{
    private const int MaxPageSize = 200;

    public async Task<PageOf<TaskView>> MyTasksAsync(string user, InboxQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await PageAsync(Filter(Mine(db, user), query), query, cancellationToken);
    }

    /// <summary>
    /// 待办: my tasks and the ones I can claim, as one list (UNION ALL of the two base queries, each on its own index, the
    /// filters inside each branch), ordered and paged by the database, so that every page is right however deep.
    /// </summary>
    public async Task<PageOf<TaskView>> TodoAsync(string user, InboxQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await PageAsync(Todo(db, user, query), query, cancellationToken);
    }

    public async Task<PageOf<TaskView>> ClaimableAsync(string user, InboxQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await PageAsync(Filter(Claimable(db, user), query), query, cancellationToken);
    }

    public async Task<PageOf<TaskView>> DoneAsync(string user, InboxQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var tasks = db.Tasks.AsNoTracking().Where(t => t.CompletedBy == user && t.Status == TaskStatuses.Completed);
        return await PageAsync(Filter(tasks, query with { Level = null, DueWithinWorkingDays = null }),
            query.Sort == InboxSort.Due ? query with { Sort = InboxSort.CreatedDescending } : query, cancellationToken, byCompletion: true);
    }

    public async Task<PageOf<CopyView>> CopiedToMeAsync(string user, bool unreadOnly, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var copies = db.CarbonCopies.AsNoTracking().Where(c => c.UserId == user && (!unreadOnly || c.ReadAt == null));
        var (skip, take) = Paging(page, pageSize);
        var total = await copies.CountAsync(cancellationToken);
        var rows = await copies.OrderByDescending(c => c.CreatedAt).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var instanceIds = rows.Select(c => c.InstanceId).Distinct().ToList();
        var cases = await (from i in db.Instances.AsNoTracking()
                           join d in db.Definitions on i.DefinitionVersionId equals d.Id
                           where instanceIds.Contains(i.Id)
                           select new { i.Id, i.BusinessNumber, i.Summary, d.Name, i.Initiator }).ToDictionaryAsync(i => i.Id, cancellationToken);
        var taskIds = rows.Select(c => c.TaskId).OfType<Guid>().Distinct().ToList();
        var titles = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => new { t.Title, t.ApplicantOrgUnitName, t.DueAt }, cancellationToken);
        var names = await NamesAsync(db, rows.Select(c => c.CopiedBy), cancellationToken);
        return new PageOf<CopyView>(rows.Select(c =>
        {
            var label = cases.GetValueOrDefault(c.InstanceId);
            var task = c.TaskId is { } id ? titles.GetValueOrDefault(id) : null;
            return new CopyView(c.Id, c.InstanceId, c.TaskId, task?.Title ?? label?.Name ?? c.Note, c.CopiedBy, c.Note, Utc(c.CreatedAt), c.ReadAt is { } r ? Utc(r) : null)
            {
                CopiedByName = c.CopiedBy == "system" ? "系统" : names.GetValueOrDefault(c.CopiedBy), ProcessName = label?.Name,
                BusinessNumber = label?.BusinessNumber, Summary = label?.Summary, ApplicantOrgUnitName = task?.ApplicantOrgUnitName,
                DueAt = task?.DueAt is { } due ? Utc(due) : null,
            };
        }).ToList(), total, page, take);
    }

    /// <summary>
    /// Applications the user started, newest first, with where each stands: the open steps, who holds them (by name), when
    /// they are due; <paramref name="search"/> looks in the 业务编号 and the summary.
    /// </summary>
    public async Task<PageOf<ApplicationView>> MyApplicationsAsync(string user, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default,
        string? search = null)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        // A deleted draft (cancelled before it was ever submitted, so without a number) is gone from the list.
        var instances = Applications(db, user).Where(i => i.Status != Runtime.WorkflowStatus.Cancelled || i.BusinessNumber != null);
        if (search?.Trim() is { Length: > 0 } text)
            instances = instances.Where(i => (i.BusinessNumber != null && i.BusinessNumber.Contains(text)) || (i.Summary != null && i.Summary.Contains(text)));
        var (skip, take) = Paging(page, pageSize);
        var total = await instances.CountAsync(cancellationToken);
        var rows = await (from i in instances
                          join d in db.Definitions on i.DefinitionVersionId equals d.Id
                          orderby i.CreatedAt descending
                          select new { i.Id, i.DefinitionId, d.Name, i.Status, i.CreatedAt, i.FinishedAt, i.BusinessNumber, i.Summary })
            .Skip(skip).Take(take).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        // A case started on the applicant's behalf (a provincial request proxied into a subscription) is listed with its
        // parent: the parent's row shows the child's open steps.
        var children = await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId != null && ids.Contains(i.ParentInstanceId.Value))
            .Select(i => new { i.Id, Parent = i.ParentInstanceId!.Value }).ToListAsync(cancellationToken);
        var rootOf = children.ToDictionary(c => c.Id, c => c.Parent);
        var family = ids.Concat(rootOf.Keys).ToList();
        var open = (await db.Tasks.AsNoTracking().Where(t => family.Contains(t.InstanceId) && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting))
            .ToListAsync(cancellationToken));
        var decided = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && t.Status == TaskStatuses.Completed)
            .Select(t => t.InstanceId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var openIds = open.Select(t => t.Id).ToList();
        var candidates = (await db.TaskCandidates.AsNoTracking().Where(c => openIds.Contains(c.TaskId)).ToListAsync(cancellationToken))
            .ToLookup(c => c.TaskId, c => c.UserId);
        var names = await NamesAsync(db, open.Select(t => t.AssigneeId).OfType<string>().Concat(candidates.SelectMany(c => c)), cancellationToken);
        var now = clock.GetUtcNow();
        var steps = open.ToLookup(t => rootOf.GetValueOrDefault(t.InstanceId, t.InstanceId));
        return new PageOf<ApplicationView>(rows.Select(r =>
        {
            var current = steps[r.Id].OrderBy(t => t.CreatedAt).ToList();
            return new ApplicationView(r.Id, r.DefinitionId, r.Name, r.Status, Utc(r.CreatedAt), r.FinishedAt is { } f ? Utc(f) : null,
                current.Select(t => new CurrentStep(t.Id, t.Title, t.AssigneeId, candidates[t.Id].ToList(), t.DueAt is { } due ? Utc(due) : null,
                    TaskView.LevelOf(t, now))
                {
                    Holders = (t.AssigneeId is { } a ? [a] : candidates[t.Id]).Select(u => names.GetValueOrDefault(u) ?? u).ToList(),
                }).ToList())
            {
                BusinessNumber = r.BusinessNumber, Summary = r.Summary,
                IsDraft = r.BusinessNumber is null && r.Status == Runtime.WorkflowStatus.Suspended && !decided.Contains(r.Id)
                          && current.Any(t => t.AssigneeId == user && t.InitiatorId == user),
                DueAt = current.Select(t => t.DueAt).Where(d => d is not null).Min() is { } earliest ? Utc(earliest) : null,
            };
        }).ToList(), total, page, take);
    }

    public async Task<InboxCounts> CountsAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.Tasks.AsNoTracking().Where(t => t.AssigneeId == user && t.Status == TaskStatuses.Open);
        return new InboxCounts(
            await mine.CountAsync(cancellationToken),
            await Claimable(db, user).CountAsync(cancellationToken),
            await mine.CountAsync(t => t.YellowAt <= now && t.DueAt >= now, cancellationToken),
            await mine.CountAsync(t => t.DueAt < now, cancellationToken),
            await db.CarbonCopies.CountAsync(c => c.UserId == user && c.ReadAt == null, cancellationToken),
            await Applications(db, user).CountAsync(i => i.Status == Runtime.WorkflowStatus.Suspended || i.Status == Runtime.WorkflowStatus.Faulted, cancellationToken));
    }

    /// <summary>Every task of a case, oldest first: its history of steps as the tracking page shows it.</summary>
    public async Task<IReadOnlyList<TaskView>> TasksOfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return (await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken))
            .Select(t => TaskView.From(t, now)).ToList();
    }

    public async Task<TaskView?> GetAsync(Guid taskId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        return task is null ? null : TaskView.From(task, clock.GetUtcNow());
    }

    public async Task<IReadOnlyList<TaskActionRecord>> ActionsOfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.TaskActions.AsNoTracking().Where(a => a.InstanceId == instanceId).OrderBy(a => a.At).ThenBy(a => a.Sequence).ToListAsync(cancellationToken);
    }

    /// <summary>The whole case's legal clock as it stands now, when the definition gives the case one.</summary>
    public async Task<ClockStatus?> CaseClockAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var json = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.StateJson).FirstOrDefaultAsync(cancellationToken);
        var caseClock = json is null ? null : CaseClock.Read(Runtime.WorkflowState.Deserialize(json));
        return caseClock?.Status(services.GetRequiredService<WorkingDayCalendar>(), clock.GetUtcNow());
    }

    public async Task<IReadOnlyList<AttachmentRecord>> AttachmentsOfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.Attachments.AsNoTracking().Where(a => a.InstanceId == instanceId).OrderBy(a => a.UploadedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Open or waiting tasks assigned to the user (IX_wf_tasks_AssigneeId_Status_DueAt).</summary>
    internal static IQueryable<TaskRecord> Mine(WorkflowDbContext db, string user) =>
        db.Tasks.AsNoTracking().Where(t => t.AssigneeId == user && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting));

    /// <summary>待办: the union of <see cref="Mine"/> and <see cref="Claimable"/> (disjoint: a claimable task has no assignee), each filtered.</summary>
    internal IQueryable<TaskRecord> Todo(WorkflowDbContext db, string user, InboxQuery query) =>
        Filter(Mine(db, user), query).Concat(Filter(Claimable(db, user), query));

    /// <summary>Cases the user started, not sub-processes (IX_wf_instances_Initiator_CreatedAt).</summary>
    internal static IQueryable<InstanceRecord> Applications(WorkflowDbContext db, string user) =>
        db.Instances.AsNoTracking().Where(i => i.Initiator == user && i.ParentInstanceId == null);

    /// <summary>
    /// Open, unclaimed tasks the user is a candidate of. It runs from the user's candidate rows
    /// (IX_wf_task_candidates_UserId_TaskId) to the partial index of open unclaimed tasks (IX_wf_tasks_Claimable), whose
    /// filter these two conditions must keep matching word for word for SQLite to use it (M005). The CROSS JOIN fixes that
    /// order for SQLite, which otherwise, once the inbox's filters narrow the task side (issue #18), walked every open task
    /// in the index of all tasks by status; PostgreSQL plans it like an inner join.
    /// </summary>
    internal static IQueryable<TaskRecord> Claimable(WorkflowDbContext db, string user) =>
        db.Tasks.FromSqlInterpolated($"""
            SELECT t.* FROM "wf_task_candidates" AS c CROSS JOIN "wf_tasks" AS t
            WHERE c."UserId" = {user} AND t."Id" = c."TaskId" AND t."AssigneeId" IS NULL AND t."Status" = 'Open'
            """).AsNoTracking();

    internal IQueryable<TaskRecord> Filter(IQueryable<TaskRecord> tasks, InboxQuery query)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (query.DefinitionId is { Length: > 0 } definition) tasks = tasks.Where(t => t.DefinitionId == definition);
        if (query.OrgUnitId is { Length: > 0 } unit) tasks = tasks.Where(t => t.OrgUnitId == unit || t.ApplicantOrgUnitId == unit);
        if (query.Search?.Trim() is { Length: > 0 } search)
            tasks = tasks.Where(t => t.Title.Contains(search) || (t.BusinessNumber != null && t.BusinessNumber.Contains(search))
                || (t.ApplicantOrgUnitName != null && t.ApplicantOrgUnitName.Contains(search)) || (t.Summary != null && t.Summary.Contains(search))
                || (t.ProcessName != null && t.ProcessName.Contains(search)));
        tasks = query.Level switch
        {
            WarningLevel.Red => tasks.Where(t => t.DueAt < now),
            WarningLevel.Yellow => tasks.Where(t => t.YellowAt <= now && t.DueAt >= now),
            WarningLevel.Normal => tasks.Where(t => t.DueAt == null || (t.DueAt >= now && (t.YellowAt == null || t.YellowAt > now))),
            _ => tasks,
        };
        if (query.DueWithinWorkingDays is { } days and >= 0)
        {
            var limit = services.GetRequiredService<WorkingDayCalendar>().AddWorkingDays(clock.GetUtcNow(), days).Deadline.UtcDateTime;
            tasks = tasks.Where(t => t.DueAt <= limit);
        }

        return tasks;
    }

    private async Task<PageOf<TaskView>> PageAsync(IQueryable<TaskRecord> tasks, InboxQuery query, CancellationToken cancellationToken, bool byCompletion = false)
    {
        var (skip, take) = Paging(query.Page, query.PageSize);
        var total = await tasks.CountAsync(cancellationToken);
        var ordered = Ordered(tasks, query.Sort, byCompletion);
        var now = clock.GetUtcNow();
        var rows = await ordered.Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new PageOf<TaskView>(rows.Select(t => TaskView.From(t, now)).ToList(), total, query.Page, take);
    }

    /// <summary>
    /// A list's order, ending with the id so that pages never overlap. The due date's first term is an expression (due or
    /// not): SQLite then sorts the 待办 union as a whole instead of merging its branches, which made it read the claimable
    /// branch in due-date order from the index of all open tasks (<see cref="Todo"/>).
    /// </summary>
    internal static IOrderedQueryable<TaskRecord> Ordered(IQueryable<TaskRecord> tasks, InboxSort sort, bool byCompletion = false) => (sort switch
    {
        InboxSort.DueDescending => tasks.OrderBy(t => t.DueAt == null).ThenByDescending(t => t.DueAt).ThenByDescending(t => t.CreatedAt),
        InboxSort.Created => byCompletion ? tasks.OrderBy(t => t.CompletedAt) : tasks.OrderBy(t => t.CreatedAt),
        InboxSort.CreatedDescending => byCompletion ? tasks.OrderByDescending(t => t.CompletedAt) : tasks.OrderByDescending(t => t.CreatedAt),
        _ => tasks.OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt),
    }).ThenBy(t => t.Id);

    /// <summary>People's names by id, for the few ids of one page.</summary>
    private static async Task<Dictionary<string, string>> NamesAsync(WorkflowDbContext db, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    private static (int Skip, int Take) Paging(int page, int pageSize)
    {
        var take = Math.Clamp(pageSize, 1, MaxPageSize);
        return ((Math.Max(page, 1) - 1) * take, take);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
