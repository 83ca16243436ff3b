using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.DataSharing.Forms;

/// <summary>
/// 政务信息资源代码 (seed 002, 附件1 §2.1.2): the classification code (前段码) — 类 1 digit (1 基础, 2 主题, 3 部门),
/// 项 2 digits, 目 3 digits, 细目 digits of any length (several levels allowed, possibly none) — then the sequence code
/// (后段码, 顺序码), digits of any length counting from 1. The seed's figure of the structure is not in its text;
/// the two parts are written with "/" between them, as in the national 政务信息资源目录编制指南, since 细目 and 顺序码
/// are both of variable length and could not be told apart otherwise. Example: 10100101/0001.
/// </summary>
public readonly partial record struct ResourceCode(char Category, string Item, string Heading, string Subheading, string Sequence)
{
    /// <summary>类 + 项 + 目 + 细目.</summary>
    public string ClassificationCode => $"{Category}{Item}{Heading}{Subheading}";

    public static bool TryParse(string text, [NotNullWhen(true)] out ResourceCode? code) =>
        (code = Parse(text, out _)) is not null;

    /// <summary>
    /// The code, or null with the code of the problem: resourceCode.separator, .category, .classification or .sequence.
    /// Spaces are ignored and a full-width ／ is read as /.
    /// </summary>
    public static ResourceCode? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var compact = text.Replace(" ", "", StringComparison.Ordinal).Replace('／', '/');
        var parts = compact.Split('/');
        problem = parts.Length != 2 ? "resourceCode.separator"
            : parts[0].Length == 0 || parts[0][0] is not ('1' or '2' or '3') ? "resourceCode.category"
            : !ClassificationPattern().IsMatch(parts[0]) ? "resourceCode.classification"
            : !SequencePattern().IsMatch(parts[1]) ? "resourceCode.sequence"
            : null;
        if (problem is not null)
        {
            return null;
        }

        var classification = parts[0];
        return new ResourceCode(classification[0], classification[1..3], classification[3..6], classification[6..], parts[1]);
    }

    public override string ToString() => $"{ClassificationCode}/{Sequence}";

    [GeneratedRegex("^[1-3][0-9]{2}[0-9]{3}[0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ClassificationPattern();

    /// <summary>Digits, not all zero (the sequence counts from 1).</summary>
    [GeneratedRegex("^(?=[0-9]*[1-9])[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SequencePattern();
}

/// <summary>Format "resourceCode": a <see cref="ResourceCode"/>, normalised to its canonical text.</summary>
public sealed class ResourceCodeValidator : IFormatValidator
{
    public string Name => "resourceCode";

    public FormatResult Validate(string value, string label)
    {
        if (ResourceCode.Parse(value, out var problem) is { } code)
        {
            return FormatResult.Valid(code.ToString());
        }

        return FormatResult.Invalid(problem!, problem switch
        {
            "resourceCode.category" => $"{label}第1位为资源分类“类”，应为1（基础信息资源）、2（主题信息资源）或3（部门信息资源）",
            "resourceCode.classification" => $"{label}的分类码应为数字：类1位、项2位、目3位，其后为细目",
            "resourceCode.sequence" => $"{label}的顺序码应为从1起编的数字",
            _ => $"{label}应由分类码和顺序码组成，中间用“/”分隔，如 10100101/0001",
        });
    }
}
