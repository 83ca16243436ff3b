using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// The demo catalog: the published entries of definitions/catalog (resources of seed 003), each under the demo
/// department of the same key, with that department's own credit code as the provider code.
/// </summary>
public sealed class CatalogSeedStep(IOptions<DemoOptions> options, CatalogService catalog, WorkflowStore store) : IDemoSeedStep
{
    public int Order => DemoSeedOrder.Catalog;

    public string Name => "资源目录 (catalog)";

    public async Task<DemoSeedStepResult> SeedAsync(CancellationToken cancellationToken)
    {
        var file = CatalogSeed.Read(options.Value.CatalogFile);
        Dictionary<string, string?> codes;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            var keys = file.Departments.Select(d => d.Key).ToList();
            codes = await db.OrgUnits.Where(u => keys.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.CreditCode, cancellationToken);
        }

        var missing = file.Departments.Where(d => !codes.ContainsKey(d.Key)).Select(d => d.Key).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"演示目录的部门在组织机构中不存在：{string.Join("、", missing)}");
        var ours = file with
        {
            Departments = [.. file.Departments.Select(d => d with { CreditCode = codes[d.Key] })],
            Entries = [.. file.Entries.Select(e => e with { Data = WithProviderCode(e.Data, codes[e.Department]) })],
        };
        var result = await CatalogSeed.LoadAsync(catalog, ours, new CatalogSeedOptions { Actor = "system:demo" }, cancellationToken);
        if (result.Failed.Count > 0)
            throw new InvalidDataException("演示目录未能全部载入：" + string.Join("；", result.Failed.Select(f => $"{f.ResourceCode} {f.ResourceName}：{f.Error.Detail}")));
        var names = file.Entries.ToDictionary(e => e.Data[CatalogFields.ResourceCode]!.GetValue<string>(), e => e.Data[CatalogFields.ResourceName]!.GetValue<string>());
        return new DemoSeedStepResult(Name, [.. result.Created.Select(code => new DemoSeedItem("目录", code, names.GetValueOrDefault(code) ?? code))],
            result.Existing.Count);
    }

    private static System.Text.Json.Nodes.JsonObject WithProviderCode(System.Text.Json.Nodes.JsonObject data, string? code)
    {
        var copy = (System.Text.Json.Nodes.JsonObject)data.DeepClone();
        if (code is not null) copy[CatalogFields.ProviderCode] = code;
        return copy;
    }
}
