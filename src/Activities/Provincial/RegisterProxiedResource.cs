using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// After the province agreed, registers the resource in the city catalog as proxied (代理) by the bureau, with its source
/// (level, department, original code, the forwarding's correlation id), and publishes it, in the burst's transaction. A
/// decision that cannot be registered (a refusal, bad catalog data, a resource code the catalog has) is an incident for
/// an operator, as the engine records a throwing activity.
/// </summary>
[Activity(Type, Category = ExchangeCategories.Provincial, DisplayName = "代理省级资源",
    Description = "省级同意后，把资源作为“代理”登记到市级目录并注明来源。")]
public sealed class RegisterProxiedResource : Activity
{
    public const string Type = "Pds.Provincial.RegisterProxied";

    [Input(DisplayName = "省级答复", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Decision { get; set; } = default!;

    [Output(DisplayName = "目录编号")]
    public Output<Guid> CatalogEntryId { get; set; } = default!;

    [Output(DisplayName = "信息资源代码")]
    public Output<string> ResourceCode { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var parsed = ProvincialDecision.Parse(context.Get(Decision));
        if (!parsed.IsSuccess) throw new WorkflowFaultException($"省级答复不能用于代理登记：{Describe(parsed.Error!)}");
        var decision = parsed.Value;
        if (!decision.Approved) throw new WorkflowFaultException("省级部门未同意，不能代理登记该资源。");

        var proxy = await ProxyUnitAsync(context);
        var catalog = context.GetRequiredService<CatalogService>();
        var registered = await catalog.InBurstAsync(context, (session, ct) => session.CreateProxiedAsync(proxy, decision.Catalog!, decision.Source!, ct));
        if (!registered.IsSuccess) throw new WorkflowFaultException($"代理登记未成功：{Describe(registered.Error!)}");

        var version = registered.Value;
        context.Set(CatalogEntryId, version.EntryId);
        context.Set(ResourceCode, version.ResourceCode);
        context.AddJournalNote($"已代理到市级目录：{version.ResourceName}（{version.ResourceCode}），来源 {decision.Source!.Department} {decision.Source.ResourceCode}");
        context.Complete(Done);
    }

    private static async Task<string> ProxyUnitAsync(ActivityExecutionContext context)
    {
        var configured = context.GetRequiredService<IOptions<ProvincialOptions>>().Value.ProxyOrgUnitId;
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        return await context.Db.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKinds.Bureau && u.IsActive).OrderBy(u => u.Id)
                   .Select(u => u.Id).FirstOrDefaultAsync(context.CancellationToken)
               ?? throw new WorkflowFaultException("找不到代理资源的市大数据局（没有启用的“Bureau”类单位），请设置 Provincial:ProxyOrgUnitId。");
    }

    private static string Describe(WorkflowError error) =>
        error.Errors.Count == 0 ? error.Detail : string.Join("；", error.Errors.Select(e => string.IsNullOrEmpty(e.Input) ? e.Message : $"{e.Input}：{e.Message}"));
}
