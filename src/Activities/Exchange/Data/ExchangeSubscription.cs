using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>
/// What an exchange step needs to know about a subscription (form 4, 库表、文件、文件夹申请表): the catalog entry and
/// its published version, the mounted resource, the provider, the demand department, and whose front-end database or
/// folder receives the data — the demand department's own, or for a county department subscribing city data across
/// levels (001 第十一条) its county's data authority's (区县前置库).
/// </summary>
public sealed record ExchangeSubscription(
    string ResourceCode,
    string ResourceName,
    IReadOnlyList<CatalogItem> Items,
    CatalogMount Mount,
    OrgUnitRecord Provider,
    OrgUnitRecord Consumer,
    OrgUnitRecord Target,
    string TargetLevel,
    JsonObject Form)
{
    public const string City = "city";
    public const string County = "county";

    public string ProviderCode => AccountDepartment.CodeOf(Provider.Id);

    public string ConsumerCode => AccountDepartment.CodeOf(Consumer.Id);

    public string TargetCode => AccountDepartment.CodeOf(Target.Id);

    /// <summary>Across levels the county's store is shared by its departments, so what one receives carries its code.</summary>
    public bool IsCrossLevel => Target.Id != Consumer.Id;

    /// <summary><c>&lt;instance&gt;/&lt;step&gt;</c>: one exchange per step of a case, whatever the attempt.</summary>
    public static string ExecutionKey(ActivityExecutionContext context) => $"{context.InstanceId:N}/{context.ActivityId}";

    /// <summary>
    /// The record of this step's exchange as it starts (status running), keyed by <see cref="ExecutionKey"/> so that a
    /// retry of the step continues the same run.
    /// </summary>
    public ExchangeRun StartRun(ActivityExecutionContext context, ExchangeKind kind, string mode, string source, string target)
    {
        ArgumentNullException.ThrowIfNull(context);
        var executionKey = ExecutionKey(context);
        var now = context.Clock.GetUtcNow().UtcDateTime;
        return new ExchangeRun
        {
            Id = ExchangeRun.IdOf(executionKey), ExecutionKey = executionKey, InstanceId = context.InstanceId, ActivityId = context.ActivityId,
            Kind = kind, ResourceCode = ResourceCode, ResourceName = ResourceName,
            ProviderOrgUnitId = Provider.Id, ConsumerOrgUnitId = Consumer.Id, TargetOrgUnitId = Target.Id, TargetLevel = TargetLevel,
            Mode = mode, Source = source, Target = target, Status = ExchangeRunStatus.Running, Attempts = context.Attempt, StartedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>Reads the form and finds every party; an expected problem stops the step with its reason (no retry).</summary>
    public static async Task<ExchangeSubscription> ResolveAsync(ActivityExecutionContext context, JsonObject? form, string? level, CatalogMountKind kind)
    {
        if (form is null) throw new WorkflowFaultException("交换环节没有收到订阅申请表。");
        var targetLevel = string.IsNullOrWhiteSpace(level) ? City : level.Trim();
        if (targetLevel is not (City or County)) throw new WorkflowFaultException($"交换层级“{targetLevel}”无效，应为 city（同级）或 county（跨层级）。");

        var ct = context.CancellationToken;
        var catalog = context.Services.GetRequiredService<CatalogDatabase>();
        await using var cat = catalog.Join(context.Db);
        var code = Text(form, "resourceCode");
        var name = Text(form, "resourceName");
        CatalogVersion? published;
        if (code is not null)
        {
            published = await (from v in cat.Versions.AsNoTracking()
                               join e in cat.Entries.AsNoTracking() on v.EntryId equals e.Id
                               where e.ResourceCode == code && v.Status == CatalogStatus.Published
                               select v).FirstOrDefaultAsync(ct);
            if (published is null) throw new WorkflowFaultException($"资源目录中没有已发布的信息资源“{code}”，无法交换。");
        }
        else
        {
            var byName = await cat.Versions.AsNoTracking().Where(v => v.ResourceName == name && v.Status == CatalogStatus.Published).Take(2).ToListAsync(ct);
            if (byName.Count != 1)
                throw new WorkflowFaultException(byName.Count == 0
                    ? $"资源目录中没有已发布的信息资源“{name}”，无法交换。"
                    : $"资源目录中有多个名为“{name}”的信息资源，订阅申请须填写信息资源代码。");
            published = byName[0];
        }

        var entry = await cat.Entries.AsNoTracking().FirstAsync(e => e.Id == published.EntryId, ct);
        var mount = await cat.Mounts.AsNoTracking().Where(m => m.EntryId == entry.Id && m.Kind == kind && m.RemovedAt == null)
            .OrderByDescending(m => m.MountedAt).FirstOrDefaultAsync(ct);
        if (mount is null)
            throw new WorkflowFaultException($"信息资源“{published.ResourceName}”（{entry.ResourceCode}）尚未挂接{(kind == CatalogMountKind.Table ? "库表" : "文件")}资源，请提供部门先完成资源挂接。");

        var db = context.Db;
        var provider = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == entry.ProviderOrgUnitId, ct)
            ?? throw new WorkflowFaultException($"找不到信息资源的提供部门“{entry.ProviderOrgUnitId}”。");
        var consumer = await Routing.CaseParties.ApplicantUnitAsync(context);
        var target = consumer;
        if (targetLevel == County && consumer.Kind != OrgUnitKinds.CountyAuthority)
        {
            target = await db.OrgUnits.AsNoTracking()
                .Where(u => u.Kind == OrgUnitKinds.CountyAuthority && u.RegionCode == consumer.RegionCode && u.IsActive)
                .OrderBy(u => u.Id).FirstOrDefaultAsync(ct)
                ?? throw new WorkflowFaultException($"跨层级交换须推送至区县前置库，但找不到“{consumer.Name}”所在区县（{consumer.RegionCode}）的政务数据管理部门。");
        }

        var data = JsonNode.Parse(published.DataJson)!.AsObject();
        return new ExchangeSubscription(entry.ResourceCode, published.ResourceName, CatalogForm.Items(data), mount, provider, consumer, target, targetLevel, form);
    }

    internal static string? Text(JsonObject form, string key) =>
        form[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 } text ? text : null;
}
