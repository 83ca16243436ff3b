using System.Text.RegularExpressions;

namespace PdsWorkflow.Workflows.Forms.Validators;

/// <summary>
/// Format "email" (the email field type's default): local@domain in ASCII, at most 254 characters, a dot-atom local
/// part of at most 64, a domain of labels (letters, digits, inner hyphens) ending in a top-level domain of two letters
/// or more. Normalised with the domain in lower case.
/// </summary>
public sealed partial class EmailValidator : IFormatValidator
{
    public string Name => "email";

    public FormatResult Validate(string value, string label)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        if (value.Length > 254 || at < 1 || at > 64 || !Address().IsMatch(value))
        {
            return FormatResult.Invalid("email.invalid", $"{label}不是有效的电子邮箱地址，如 zhangsan@example.gov.cn");
        }

        return FormatResult.Valid(string.Concat(value.AsSpan(0, at + 1), value[(at + 1)..].ToLowerInvariant()));
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
