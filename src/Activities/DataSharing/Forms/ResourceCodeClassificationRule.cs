using System.Text.Json.Nodes;

using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.DataSharing.Forms;

/// <summary>
/// Custom rule "resourceCodeClassification": the classification code of the resource code (role code, a field with the
/// resourceCode format) must be the entry's 类 + 项 + 目 + 细目 (roles category, item, heading and optionally
/// subheading; when subheading is not bound, it must start with 类 + 项 + 目), since the code is the classification code
/// followed by the sequence code (seed 002, 附件1 §2.1.2).
/// Code: resourceCode.classificationMismatch.
/// </summary>
public sealed class ResourceCodeClassificationRule : ICustomRule
{
    public string Name => "resourceCodeClassification";

    public IReadOnlyCollection<string> RequiredRoles { get; } = ["code", "category", "item", "heading"];

    public IReadOnlyCollection<string> OptionalRoles { get; } = ["subheading"];

    public IEnumerable<string> CheckBinding(IReadOnlyDictionary<string, FormField> fields, JsonObject? args)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.TryGetValue("code", out var code) && code.EffectiveFormat != "resourceCode")
        {
            yield return "resourceCodeClassification 的 code 须是 resourceCode 格式的字段";
        }
    }

    public void Evaluate(CustomRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!JsonValues.TryGetString(context.Value("code"), out var text) || !ResourceCode.TryParse(text, out var code))
        {
            return;
        }

        var parts = new[] { "category", "item", "heading" }.Select(role => context.Value(role)).ToList();
        if (parts.Any(JsonValues.IsEmpty))
        {
            return;
        }

        // Without a 细目 field the form only fixes 类 + 项 + 目, and the code may carry any 细目 after them.
        var expected = string.Concat(parts.Select(part => JsonValues.Display(part!))) +
                       (context.Value("subheading") is { } subheading ? JsonValues.Display(subheading) : "");
        var matches = context.IsBound("subheading")
            ? code.Value.ClassificationCode == expected
            : code.Value.ClassificationCode.StartsWith(expected, StringComparison.Ordinal);
        if (!matches)
        {
            var label = context.Label("code");
            context.AddError(context.Path("code"), label, "resourceCode.classificationMismatch",
                $"{label}的分类码“{code.Value.ClassificationCode}”与所填资源分类“{expected}”不一致");
        }
    }
}
