using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.Routing;

/// <summary>
/// What the resource catalog says about the resource a form names by its code (信息资源代码): who provides it, how it
/// is shared and on what condition, and whether the platform authorises its interface directly. Subscriptions,
/// interface requests, objections, disputes and requests for provincial data route on these, never on what the
/// applicant claims. A resource that is not shared (不予共享) cannot be subscribed or requested: the refusal points to
/// the negotiation the bureau coordinates (004 第十八条) through the dispute process.
/// </summary>
public sealed class ResourceFacts(CatalogDatabase catalog) : IRecordedFactsSource
{
    public const string CodeField = "resourceCode";
    public const string Variable = "resource";
    public const string NotShared = "resource_not_shared";

    private static readonly Dictionary<string, string[]> DerivedByDefinition = new(StringComparer.Ordinal)
    {
        ["subscription"] = ["providerOrgUnitId", "shareType", Variable],
        ["interface-request"] = ["providerOrgUnitId", "shareType", "directAuthorization", Variable],
        ["objection"] = ["providerOrgUnitId", Variable],
        ["dispute"] = ["providerOrgUnitId", Variable],
        ["provincial-resource"] = ["providerOrgUnitId", "shareType", "proxied", Variable],
    };

    public bool Handles(string definitionId) => DerivedByDefinition.ContainsKey(definitionId);

    public IReadOnlyCollection<string> Variables(string definitionId) => DerivedByDefinition.GetValueOrDefault(definitionId) ?? [];

    public async Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = request.DefinitionId;
        var code = Text(request.Form, CodeField);
        if (code is null) return Unknown(definition);

        await using var cat = catalog.Join(request.Db);
        var found = await (from v in cat.Versions.AsNoTracking()
                           join e in cat.Entries.AsNoTracking() on v.EntryId equals e.Id
                           where e.ResourceCode == code && v.Status == CatalogStatus.Published
                           select new { Version = v, Entry = e }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            // A request for provincial or national data names a resource the city catalog does not have yet: it is forwarded.
            return definition == "provincial-resource"
                ? Unknown(definition)
                : RecordedFacts.Refused(CodeField, "resourceNotFound", $"资源目录中没有已发布的信息资源“{code}”，请从资源目录选择要申请的资源。");
        }

        var (version, entry) = (found.Version, found.Entry);
        var data = JsonNode.Parse(version.DataJson) as JsonObject ?? [];
        if (version.ShareType == 3 && definition is "subscription" or "interface-request" or "provincial-resource")
        {
            var basis = Text(data, "shareLegalBasis");
            return new RecordedFacts
            {
                RefusalCode = NotShared,
                Errors =
                [
                    new FormError(CodeField, "notShared",
                        $"“{version.ResourceName}”在资源目录中为不予共享资源{(basis is null ? "" : $"（依据：{basis}）")}，不能申请。" +
                        "如确有需要，可发起“共享争议协调”，由市大数据局组织提供方与贵单位协商（《平顶山市政务数据管理办法》第十八条）。"),
                ],
            };
        }

        var provider = await request.Db.OrgUnits.AsNoTracking().Where(u => u.Id == entry.ProviderOrgUnitId)
            .Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(cancellationToken);
        var mounts = await cat.Mounts.AsNoTracking().Where(m => m.EntryId == entry.Id && m.RemovedAt == null)
            .Select(m => new { m.Kind, m.Name }).ToListAsync(cancellationToken);
        var errors = new List<FormError>();
        if (request.Final) CheckRequestedKind(definition, request.Form, mounts.Select(m => (m.Kind, m.Name)).ToList(), data, errors);

        var resource = new JsonObject
        {
            ["entryId"] = entry.Id.ToString(),
            ["resourceCode"] = entry.ResourceCode,
            ["resourceName"] = version.ResourceName,
            ["providerOrgUnitId"] = entry.ProviderOrgUnitId,
            ["providerName"] = provider?.Name,
            ["shareType"] = version.ShareType,
            ["shareCondition"] = Text(data, "shareCondition"),
            ["classificationCode"] = version.ClassificationCode,
            ["baseLibrary"] = data["baseLibrary"]?.DeepClone(),
            ["proxiedFrom"] = entry.SourceDepartment,
        };
        var variables = new JsonObject
        {
            [Variable] = resource,
            ["providerOrgUnitId"] = entry.ProviderOrgUnitId,
        };
        if (definition is "subscription" or "interface-request" or "provincial-resource") variables["shareType"] = version.ShareType;
        if (definition == "interface-request") variables["directAuthorization"] = IsDirectlyAuthorised(version.ShareType, data["baseLibrary"] is JsonValue mark && mark.TryGetValue<bool>(out var marked) && marked);
        if (definition == "provincial-resource") variables["proxied"] = true;

        return new RecordedFacts
        {
            Variables = variables,
            FormFields = new JsonObject
            {
                ["providerDepartment"] = provider?.Name,
                ["providerUnit"] = provider?.Name,
                ["resourceName"] = version.ResourceName,
                ["shareTypeName"] = ShareTypeName(version.ShareType),
                ["shareCondition"] = Text(data, "shareCondition"),
            },
            Errors = errors,
        };
    }

    /// <summary>
    /// 001 第十六条 with 第六条（五）: the platform authorises directly the interfaces of unconditionally shared resources and
    /// of the base libraries (基础库: the entry's <c>baseLibrary</c> mark, confirmed by the platform's audit of the entry);
    /// every other interface goes to its provider.
    /// </summary>
    public static bool IsDirectlyAuthorised(int shareType, bool baseLibrary) => shareType == 1 || baseLibrary;

    public static string ShareTypeName(int shareType) => shareType switch
    {
        1 => "无条件共享",
        2 => "有条件共享",
        3 => "不予共享",
        _ => "未知",
    };

    /// <summary>The kind of resource requested must be one the provider mounted (a table, files, the named interface).</summary>
    private static void CheckRequestedKind(string definition, JsonObject form, List<(CatalogMountKind Kind, string? Name)> mounts, JsonObject data,
        List<FormError> errors)
    {
        switch (definition)
        {
            case "subscription":
                var type = Text(form, "resourceType");
                var needed = type == "table" ? CatalogMountKind.Table : CatalogMountKind.File;
                if (type is not null && mounts.All(m => m.Kind != needed))
                    errors.Add(new FormError("resourceType", "notMounted",
                        $"该资源尚未挂接{(needed == CatalogMountKind.Table ? "库表" : "文件")}，不能按{(needed == CatalogMountKind.Table ? "库表" : "文件")}申请；请选择提供方已挂接的资源类型或联系提供方挂接。"));
                // A table is exchanged item by item: each requested field must be one of the entry's information items.
                var items = CatalogForm.Items(data).Select(i => i.Name.Trim()).ToHashSet(StringComparer.Ordinal);
                var unknown = type == "table" ? Exchange.ExchangeTable.RequestedFields(Text(form, "requestedFields")).Where(f => !items.Contains(f)).ToList() : [];
                if (unknown.Count > 0)
                    errors.Add(new FormError("requestedFields", "unknownItem",
                        $"需求字段不在该资源的目录信息项中：{string.Join("、", unknown)}；可申请的信息项为：{string.Join("、", items)}。"));
                break;
            case "interface-request":
                var apis = mounts.Where(m => m.Kind == CatalogMountKind.Api).Select(m => m.Name ?? "").ToList();
                var name = Text(form, "interfaceName");
                if (apis.Count == 0)
                    errors.Add(new FormError(CodeField, "notMounted", "该资源尚未挂接服务接口，不能申请接口；请联系提供方挂接。"));
                else if (name is not null && !apis.Contains(name))
                    errors.Add(new FormError("interfaceName", "unknownInterface", $"该资源挂接的服务接口为：{string.Join("、", apis)}，请从中选择。"));
                break;
        }
    }

    /// <summary>
    /// No resource named yet (a draft), or a provincial one the city catalog does not hold: the routing values stay unset
    /// (a provincial request is forwarded), and the fields the platform fills stay empty, except that a provincial
    /// request describes its resource and provider itself.
    /// </summary>
    private RecordedFacts Unknown(string definition) => new()
    {
        Variables = new JsonObject(Variables(definition).Select(name => KeyValuePair.Create(name, name == "proxied" ? (JsonNode)false : null))),
        FormFields = definition == "provincial-resource"
            ? []
            : new JsonObject { ["providerDepartment"] = null, ["providerUnit"] = null, ["shareTypeName"] = null, ["shareCondition"] = null },
    };

    private static string? Text(JsonObject form, string key) =>
        form[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 } text ? text : null;
}
