using System.Text.RegularExpressions;

namespace PdsWorkflow.Workflows.Forms.Validators;

/// <summary>
/// Chinese mainland phone numbers. Mobile: 11 digits 1[3-9]xxxxxxxxx, optionally after +86/86, spaces and hyphens
/// allowed; normalised to the 11 digits. Landline: the area code (010, 02x, or 0 and three digits from 03xx to 09xx),
/// a local number of 7 or 8 digits not starting with 0 or 1, and an optional extension (-, 转, #, ext); the area code may
/// be in parentheses or followed by a space; normalised to 0375-2345678 or 0375-2345678-8001.
/// </summary>
public static partial class PhoneNumbers
{
    public static string? NormalizeMobile(string value)
    {
        var compact = value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return Mobile().Match(compact) is { Success: true } match ? match.Groups["number"].Value : null;
    }

    public static string? NormalizeLandline(string value)
    {
        if (Landline().Match(value.Trim()) is not { Success: true } match)
        {
            return null;
        }

        var normalized = $"{match.Groups["area"].Value}-{match.Groups["local"].Value}";
        return match.Groups["extension"].Success ? $"{normalized}-{match.Groups["extension"].Value}" : normalized;
    }

    [GeneratedRegex(@"^(?:\+?86)?(?<number>1[3-9][0-9]{9})$", RegexOptions.CultureInvariant)]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^(?:\((?<area>010|02[0-9]|0[3-9][0-9]{2})\)|(?<area>010|02[0-9]|0[3-9][0-9]{2})[- ]?)(?<local>[2-9][0-9]{6,7})(?:(?:-|转|#|\s*ext\.?\s*)(?<extension>[0-9]{1,6}))?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Landline();
}

/// <summary>Format "mobile": a mainland mobile number.</summary>
public sealed class MobileValidator : IFormatValidator
{
    public string Name => "mobile";

    public FormatResult Validate(string value, string label) =>
        PhoneNumbers.NormalizeMobile(value) is { } mobile
            ? FormatResult.Valid(mobile)
            : FormatResult.Invalid("phone.mobile", $"{label}应为11位手机号码，如 13912345678");
}

/// <summary>Format "landline": a landline number with its area code.</summary>
public sealed class LandlineValidator : IFormatValidator
{
    public string Name => "landline";

    public FormatResult Validate(string value, string label) =>
        PhoneNumbers.NormalizeLandline(value) is { } landline
            ? FormatResult.Valid(landline)
            : FormatResult.Invalid("phone.landline", $"{label}应为带区号的固定电话，如 0375-2345678，分机可写作 0375-2345678-801");
}

/// <summary>Format "mobileOrLandline" (the phone field type's default): either of the two.</summary>
public sealed class MobileOrLandlineValidator : IFormatValidator
{
    public string Name => "mobileOrLandline";

    public FormatResult Validate(string value, string label) =>
        (PhoneNumbers.NormalizeMobile(value) ?? PhoneNumbers.NormalizeLandline(value)) is { } phone
            ? FormatResult.Valid(phone)
            : FormatResult.Invalid("phone.invalid", $"{label}应为11位手机号码或带区号的固定电话（如 0375-2345678）");
}
