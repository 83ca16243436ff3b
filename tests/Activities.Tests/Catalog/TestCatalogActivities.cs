using System.Collections.Concurrent;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Catalog;

/// <summary>Submits the entry inside the burst, then fails before its work is done: the engine records an incident.</summary>
[Activity("Test.CatalogSubmitThenFail", DisplayName = "测试：提交编审后失败")]
public sealed class CatalogSubmitThenFail : Activity
{
    /// <summary>Whether the submission inside the burst succeeded before the failure, by instance.</summary>
    public static ConcurrentDictionary<Guid, bool> Submitted { get; } = new();

    [Input(DisplayName = "目录编号", Required = true)]
    public Input<string> EntryId { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var entryId = Guid.Parse(context.Get(EntryId)!);
        await context.GetRequiredService<CatalogService>().InBurstAsync<bool>(context, async (session, ct) =>
        {
            var submitted = await session.SubmitAsync(entryId, "提交", ct);
            Submitted[context.InstanceId] = submitted.IsSuccess && (await session.GetAsync(entryId, ct))?.InProgress?.Status == CatalogStatus.InReview;
            throw new InvalidOperationException("通知模板渲染失败");
        });
        context.Complete(Done);
    }
}

/// <summary>Adds a row that cannot be saved (an org unit that exists), so the burst's commit fails and rolls back.</summary>
[Activity("Test.BreakTheBurst", DisplayName = "测试：提交失败")]
public sealed class BreakTheBurst : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.AddEntity(new OrgUnitRecord { Id = TestOrganization.Bureau, Name = "重复的组织", Kind = OrgUnitKinds.Bureau, RegionCode = "410400" });
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}
