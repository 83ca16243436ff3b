using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>Read-only views of instances, their bookmarks, journals and incidents.</summary>
public sealed class WorkflowQueries(WorkflowStore store)
{
    public async Task<InstanceView?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var record = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (record is null) return null;
        var state = WorkflowState.Deserialize(record.StateJson);
        return new InstanceView(record.Id, record.DefinitionId, record.DefinitionVersion, record.Status, record.CorrelationId, record.Initiator,
            record.ParentInstanceId, state.Input, state.Variables, state.Outputs, state.Result, record.FaultMessage,
            Utc(record.CreatedAt), Utc(record.UpdatedAt), record.FinishedAt is { } f ? Utc(f) : null);
    }

    public async Task<IReadOnlyList<BookmarkInfo>> GetOpenBookmarksAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var records = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instanceId && b.Status == BookmarkStatus.Open)
            .OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        return records.Select(WorkflowExecution.ToInfo).ToList();
    }

    public async Task<IReadOnlyList<Guid>> GetChildInstanceIdsAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId == instanceId).OrderBy(i => i.CreatedAt).Select(i => i.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<JournalEntryView>> GetJournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var records = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        return records.Select(j => new JournalEntryView(j.Sequence, Utc(j.Timestamp), j.EventName, j.ActivityId, j.ActivityType,
            j.ActivityExecutionId, j.Outcome, Parse(j.InputsJson), Parse(j.OutputsJson), j.Actor, j.Message, j.Hash)).ToList();
    }

    public async Task<IReadOnlyList<IncidentView>> GetIncidentsAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var records = await db.Incidents.AsNoTracking().Where(i => i.InstanceId == instanceId).OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        return records.Select(i => new IncidentView(i.Id, i.InstanceId, i.ActivityId, i.ActivityType, i.Attempt, i.ErrorType, i.Message, i.Status,
            Utc(i.CreatedAt), i.ResolvedAt is { } r ? Utc(r) : null, i.ResolvedBy)).ToList();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
