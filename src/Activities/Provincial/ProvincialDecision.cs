using System.Text.Json.Nodes;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// The province's answer to a forwarded request, as the portal posts it or bureau staff record it:
/// <c>{"approved": false, "reason": "…"}</c>, or <c>{"approved": true, "department": "河南省…厅", "resourceCode": "…",
/// "level": "province", "catalog": {the resource's catalog-entry data}}</c>. Once recorded, the workflow's event payload
/// also carries <c>correlationId</c>, <c>recordedBy</c> and <c>recordedAt</c>.
/// </summary>
public sealed record ProvincialDecision(bool Approved, string? Reason, CatalogSource? Source, JsonObject? Catalog)
{
    /// <summary>The longest reason, department name and resource code a decision may carry (issue #9).</summary>
    public const int MaxReasonLength = 2000, MaxDepartmentLength = 100, MaxResourceCodeLength = 64;

    /// <summary>Reads and checks a decision; the problems are listed by field (zh-CN).</summary>
    public static WorkflowResult<ProvincialDecision> Parse(JsonObject? json)
    {
        if (json is null) return Invalid([new DefinitionError("decision.required", "省级答复内容为空。", null, "")]);
        var errors = new List<DefinitionError>();
        var approved = json["approved"] is JsonValue value && value.TryGetValue<bool>(out var given) ? given : (bool?)null;
        if (approved is null) errors.Add(new DefinitionError("approved.required", "请说明省级部门是否同意（approved 为 true 或 false）。", null, "approved"));
        var reason = Text(json, "reason");
        if (approved == false && reason is null)
            errors.Add(new DefinitionError("reason.required", "省级部门不同意时请填写原因。", null, "reason"));

        CatalogSource? source = null;
        var catalog = json["catalog"] as JsonObject;
        if (approved == true)
        {
            var department = Text(json, "department");
            var code = Text(json, "resourceCode");
            var level = Text(json, "level") ?? CatalogSource.Province;
            if (department is null) errors.Add(new DefinitionError("department.required", "请填写同意共享的省级部门。", null, "department"));
            if (code is null) errors.Add(new DefinitionError("resourceCode.required", "请填写资源在省级平台的资源代码。", null, "resourceCode"));
            if (level is not (CatalogSource.Province or CatalogSource.National))
                errors.Add(new DefinitionError("level.invalid", "来源层级应为 province（省级）或 national（国家）。", null, "level"));
            if (catalog is null) errors.Add(new DefinitionError("catalog.required", "请提供代理资源的目录信息（catalog）。", null, "catalog"));
            if (department is not null && code is not null) source = new CatalogSource(level, department, code, Text(json, "correlationId"));
        }

        TooLong(errors, json, "reason", MaxReasonLength, "原因");
        TooLong(errors, json, "department", MaxDepartmentLength, "省级部门");
        TooLong(errors, json, "resourceCode", MaxResourceCodeLength, "资源代码");
        return errors.Count > 0 ? Invalid(errors) : new ProvincialDecision(approved!.Value, reason, source, catalog);
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static void TooLong(List<DefinitionError> errors, JsonObject json, string name, int max, string label)
    {
        if (Text(json, name) is { } text && text.EnumerateRunes().Count() > max)
            errors.Add(new DefinitionError($"{name}.tooLong", $"{label}不能超过 {max} 个字。", null, name));
    }

    private static WorkflowError Invalid(IReadOnlyList<DefinitionError> errors) =>
        new(WorkflowErrorKind.Invalid, "provincial_decision_invalid", "省级答复填写有误", errors[0].Message) { Errors = errors };
}
