using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Parser;
using Jint.Parser.Ast;
using Jint.Runtime;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Expressions;

public sealed class ExpressionOptions
{
    public int MaxStatements { get; set; } = 10_000;
    public int MaxRecursionDepth { get; set; } = 64;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Jint 2 in a sandbox: no CLR access (AllowClr is never called and only JSON text crosses the boundary), and limits
/// on statements, recursion depth and wall time. A fresh engine per evaluation keeps scripts from leaking state.
/// Jint 2 implements ECMAScript 5.1: no arrow functions, let/const or template strings.
/// </summary>
public sealed class JavaScriptEvaluator(IOptions<ExpressionOptions> options) : IExpressionEvaluator
{
    private const string Prelude =
        "var variables = JSON.parse(__variables), input = JSON.parse(__input), outputs = JSON.parse(__outputs)," +
        " workflow = JSON.parse(__workflow), payload = JSON.parse(__payload);" +
        " function getVariable(name) { return variables[name]; }" +
        " __variables = __input = __outputs = __workflow = __payload = undefined;";

    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>
    /// The prelude parsed once. Only the prelude is shared between engines: it has no literals, which Jint 2 caches on
    /// the syntax tree (a regular expression literal would carry one engine's object into another). A script's own tree
    /// is parsed per evaluation and used by that evaluation's engine only.
    /// </summary>
    private static readonly Program PreludeProgram = new JavaScriptParser().Parse(Prelude);

    public JsonNode? Evaluate(string script, ExpressionScope scope)
    {
        var (program, syntaxError) = Parse(script);
        if (syntaxError is not null) throw new ExpressionException(script, syntaxError);
        var limits = options.Value;
        var engine = new Engine(o => o
            .Strict(false)
            .MaxStatements(limits.MaxStatements)
            .LimitRecursion(limits.MaxRecursionDepth)
            .TimeoutInterval(limits.Timeout)
            .LocalTimeZone(Shanghai));
        try
        {
            engine.SetValue("__variables", scope.Variables.ToJsonString());
            engine.SetValue("__input", scope.Input.ToJsonString());
            engine.SetValue("__outputs", scope.Outputs.ToJsonString());
            engine.SetValue("__workflow", scope.Workflow.ToJsonString());
            engine.SetValue("__payload", scope.Payload?.ToJsonString() ?? "null");
            engine.Execute(PreludeProgram);
            engine.ResetStatementsCount();
            var value = engine.Execute(program!).GetCompletionValue();
            if (value.IsUndefined()) return null;
            var json = engine.Json.Stringify(JsValue.Undefined, [value]);
            return json.IsUndefined() ? null : JsonNode.Parse(json.AsString());
        }
        catch (JavaScriptException ex)
        {
            throw new ExpressionException(script, ex.Error.ToString() + (ex.LineNumber > 0 ? $"（第{ex.LineNumber}行）" : ""));
        }
        catch (StatementsCountOverflowException)
        {
            throw new ExpressionException(script, $"执行的语句数超过上限 {limits.MaxStatements}");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new ExpressionException(script, $"递归深度超过上限 {limits.MaxRecursionDepth}");
        }
        catch (TimeoutException)
        {
            throw new ExpressionException(script, $"执行时间超过上限 {limits.Timeout.TotalMilliseconds:0} 毫秒");
        }
        catch (ParserException ex)
        {
            throw new ExpressionException(script, Describe(ex));
        }
    }

    public string? CheckSyntax(string script) => Parse(script).SyntaxError;

    private static (Program? Program, string? SyntaxError) Parse(string script)
    {
        if (string.IsNullOrWhiteSpace(script)) return (null, "表达式为空");
        try
        {
            return (new JavaScriptParser().Parse(script), null);
        }
        catch (ParserException ex)
        {
            return (null, Describe(ex));
        }
    }

    private static string Describe(ParserException ex) => $"语法错误：{ex.Description}（第{ex.LineNumber}行第{ex.Column}列）";
}
