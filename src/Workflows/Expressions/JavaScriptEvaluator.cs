using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Expressions;

/// <summary>
/// Jint 4 (ECMAScript 2023: arrow functions, let/const, template literals, optional chaining, ??) in a sandbox: no CLR
/// access (interop is never enabled and only JSON text crosses the boundary), and limits on statements, recursion
/// depth, wall time and memory allocated.
/// <para>
/// A fresh engine per evaluation, so no script's globals or prototype changes reach another case. Jint 4 builds its
/// built-ins lazily, so an engine costs little; what is expensive, parsing and analysing a script, is done once: the
/// prepared scripts (<see cref="Prepared{T}"/>, immutable and shareable between engines) are cached by their text.
/// </para>
/// </summary>
public sealed class JavaScriptEvaluator(IOptions<ExpressionOptions> options) : IExpressionEvaluator
{
    private const string Prelude =
        "var variables = JSON.parse(__variables), input = JSON.parse(__input), outputs = JSON.parse(__outputs)," +
        " workflow = JSON.parse(__workflow), payload = JSON.parse(__payload);" +
        " function getVariable(name) { return variables[name]; }" +
        " __variables = __input = __outputs = __workflow = __payload = undefined;";

    /// <summary>Scripts kept prepared; past this many the cache starts again (definitions hold a few dozen).</summary>
    internal const int MaxCachedScripts = 4096;

    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly Prepared<Script> PreludeScript = Engine.PrepareScript(Prelude, "prelude");

    private readonly ConcurrentDictionary<string, Prepared<Script>> _prepared = new(StringComparer.Ordinal);

    public JsonNode? Evaluate(string script, ExpressionScope scope)
    {
        var (prepared, syntaxError) = Prepare(script);
        if (syntaxError is not null) throw new ExpressionException(script, syntaxError);
        var limits = options.Value;
        var engine = new Engine(o => o
            .MaxStatements(limits.MaxStatements)
            .LimitRecursion(limits.MaxRecursionDepth)
            .TimeoutInterval(limits.Timeout)
            .LimitMemory(limits.MaxMemoryBytes)
            .LocalTimeZone(Shanghai));
        try
        {
            engine.SetValue("__variables", scope.Variables.ToJsonString());
            engine.SetValue("__input", scope.Input.ToJsonString());
            engine.SetValue("__outputs", scope.Outputs.ToJsonString());
            engine.SetValue("__workflow", scope.Workflow.ToJsonString());
            engine.SetValue("__payload", scope.Payload?.ToJsonString() ?? "null");
            engine.Execute(PreludeScript);
            var value = engine.Evaluate(prepared!.Value);
            if (value.IsUndefined()) return null;
            var json = new Jint.Native.Json.JsonSerializer(engine).Serialize(value);
            return json.IsUndefined() ? null : JsonNode.Parse(json.AsString());
        }
        catch (JavaScriptException ex)
        {
            var name = ex.Error.IsObject() ? ex.Error.AsObject().Get("name").ToString() : "";
            var line = ex.Location.Start.Line;
            throw new ExpressionException(script, (name.Length > 0 ? $"{name}: {ex.Message}" : ex.Message) + (line > 0 ? $"（第{line}行）" : ""));
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
        catch (MemoryLimitExceededException)
        {
            throw new ExpressionException(script, $"占用内存超过上限 {limits.MaxMemoryBytes / 1024 / 1024} MB");
        }
    }

    public string? CheckSyntax(string script) => Prepare(script).SyntaxError;

    /// <summary>
    /// Parses with the parser the engine runs (Acornima, through Jint's preparation, which also checks regular
    /// expression literals), so a script that passes the definition validator is one the engine can run.
    /// </summary>
    private (Prepared<Script>? Prepared, string? SyntaxError) Prepare(string script)
    {
        if (string.IsNullOrWhiteSpace(script)) return (null, "表达式为空");
        if (_prepared.TryGetValue(script, out var cached)) return (cached, null);
        try
        {
            var prepared = Engine.PrepareScript(script);
            if (_prepared.Count >= MaxCachedScripts) _prepared.Clear();
            _prepared.TryAdd(script, prepared);
            return (prepared, null);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            return (null, $"语法错误：{parse.Error?.Description ?? parse.Message}（第{parse.LineNumber}行第{parse.Column}列）");
        }
        catch (ScriptPreparationException ex)
        {
            return (null, $"语法错误：{ex.InnerException?.Message ?? ex.Message}");
        }
    }
}
