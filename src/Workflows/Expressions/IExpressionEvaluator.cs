using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Expressions;

/// <summary>Evaluates the scripts that definitions carry (JavaScript, as in Elsa).</summary>
public interface IExpressionEvaluator
{
    /// <exception cref="ExpressionException">The script does not parse, throws, or exceeds a sandbox limit.</exception>
    JsonNode? Evaluate(string script, ExpressionScope scope);

    /// <summary>The syntax error of a script, or null when it parses.</summary>
    string? CheckSyntax(string script);
}

/// <summary>
/// What a script can see, each a JSON value: <c>variables</c>, <c>input</c>, <c>outputs</c> (by activity id),
/// <c>workflow</c> (instanceId, definitionId, version, correlationId, initiator, actor) and <c>payload</c>.
/// </summary>
public sealed record ExpressionScope(JsonObject Variables, JsonObject Input, JsonObject Outputs, JsonObject Workflow, JsonNode? Payload)
{
    public static ExpressionScope Empty { get; } = new([], [], [], [], null);
}

/// <summary>A script failed; the message quotes the script so the incident says which one.</summary>
public sealed class ExpressionException(string script, string reason)
    : Exception($"表达式 `{Abbreviate(script)}` 求值失败：{reason}")
{
    public string Script { get; } = script;
    public string Reason { get; } = reason;

    private static string Abbreviate(string script) => script.Length <= 200 ? script : script[..200] + "…";
}
