using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities;

/// <summary>Reading a form's (or a case variable's) values as the platform's steps and facts use them.</summary>
public static class FormValues
{
    /// <summary>The trimmed text of <paramref name="key"/>, or null when it is missing, not a string, or blank.</summary>
    public static string? Text(JsonObject? data, string key) =>
        data?[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
