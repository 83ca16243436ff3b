using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>What recording a decision did: which case it resumed and where that case now stands.</summary>
public sealed record ProvincialDecisionReceipt(string CorrelationId, Guid InstanceId, bool Approved, string InstanceStatus);

/// <summary>
/// Records the province's decision on a forwarded request, whoever brings it (the portal's signed callback, or bureau
/// staff), by resuming the case that waits for it: the open <see cref="EventName"/> bookmark with the correlation id as
/// its key. Exactly once: the engine resumes a bookmark once, so a repeated or concurrent second decision finds it closed
/// and is refused as <c>provincial_decision_already_recorded</c> (409) with no effect.
/// </summary>
public sealed class ProvincialDecisions(WorkflowStore store, WorkflowRuntime runtime, CatalogService catalog, TimeProvider clock)
{
    /// <summary>The event the provincial definition's wait step listens for.</summary>
    public const string EventName = "ProvincialDecision";

    public const string PortalActor = "system:provincial-portal";

    public async Task<WorkflowResult<ProvincialDecisionReceipt>> RecordAsync(string correlationId, JsonObject decision, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var parsed = ProvincialDecision.Parse(decision);
        if (!parsed.IsSuccess) return parsed.Error!;
        if (parsed.Value is { Approved: true, Catalog: { } data } && catalog.CheckEntryData(data) is { } invalid) return invalid;

        var name = BookmarkNames.Event(EventName);
        List<BookmarkRecord> waiting;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            waiting = await db.Bookmarks.AsNoTracking().Where(b => b.Name == name && b.CorrelationKey == correlationId)
                .OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        }

        if (waiting.Count == 0) return NotFound(correlationId);
        if (waiting.FirstOrDefault(b => b.Status == BookmarkStatus.Open) is not { } open) return AlreadyRecorded(correlationId);

        var payload = decision.DeepClone().AsObject();
        payload["correlationId"] = correlationId;
        payload["recordedBy"] = actor;
        payload["recordedAt"] = clock.GetUtcNow().ToString("O");
        var resumed = await runtime.ResumeAsync(open.Id, payload, actor, cancellationToken);
        if (!resumed.IsSuccess)
            return resumed.Error!.Code.StartsWith("bookmark_already_", StringComparison.Ordinal) ? AlreadyRecorded(correlationId) : resumed.Error!;
        return new ProvincialDecisionReceipt(correlationId, open.InstanceId, parsed.Value.Approved, resumed.Value.Status);
    }

    private static WorkflowError NotFound(string correlationId) =>
        new(WorkflowErrorKind.NotFound, "provincial_request_not_found", "转交申请不存在", $"没有关联号为 {correlationId} 的省级转交申请。");

    private static WorkflowError AlreadyRecorded(string correlationId) =>
        new(WorkflowErrorKind.Conflict, "provincial_decision_already_recorded", "省级答复已登记",
            $"关联号 {correlationId} 的省级答复已经登记，不能重复登记。");
}
