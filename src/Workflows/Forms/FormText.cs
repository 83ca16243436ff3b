using System.Globalization;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>How values and fields are named in zh-CN messages.</summary>
internal static class FormText
{
    public static string CellLabel(string tableLabel, int row, string columnLabel) =>
        string.Create(CultureInfo.InvariantCulture, $"{tableLabel}第{row + 1}行的{columnLabel}");

    public static string RowLabel(string tableLabel, int row) =>
        string.Create(CultureInfo.InvariantCulture, $"{tableLabel}第{row + 1}行");

    public static string Override(string? template, string label, string message) =>
        template is null ? message : template.Replace("{label}", label, StringComparison.Ordinal);

    /// <summary>A value as the user knows it: an option's label, or the value itself.</summary>
    public static string Value(FormField? field, JsonNode? value)
    {
        if (value is null)
        {
            return "空";
        }

        var option = field?.Options?.FirstOrDefault(candidate => JsonValues.Same(candidate.Value, value));
        return option?.Label ?? JsonValues.Display(value);
    }

    public static string Quoted(string text) => $"“{text}”";

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
