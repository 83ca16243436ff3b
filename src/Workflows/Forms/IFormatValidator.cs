namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// A named format for text values ("uscc", "mobileOrLandline", "ipList"…), referenced by <see cref="FormField.Format"/>.
/// The TypeScript client implements the same names with the same codes.
/// </summary>
public interface IFormatValidator
{
    string Name { get; }

    /// <summary>Checks a trimmed, non-empty value; <paramref name="label"/> names the field in the zh-CN message.</summary>
    FormatResult Validate(string value, string label);
}

/// <summary>A format check's outcome: the canonical form of a valid value, or a stable code and a zh-CN message.</summary>
public sealed record FormatResult
{
    private FormatResult(string? normalized, string? code, string? message)
    {
        Normalized = normalized;
        Code = code;
        Message = message;
    }

    public bool IsValid => Code is null;

    /// <summary>The canonical form, when valid.</summary>
    public string? Normalized { get; }

    public string? Code { get; }

    public string? Message { get; }

    public static FormatResult Valid(string normalized) => new(normalized, null, null);

    public static FormatResult Invalid(string code, string message) => new(null, code, message);
}
