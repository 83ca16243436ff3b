using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Expressions;

namespace PdsWorkflow.Workflows.Tests.Expressions;

public sealed class JavaScriptEvaluatorTests
{
    private readonly JavaScriptEvaluator _evaluator = new(Options.Create(new ExpressionOptions
    {
        MaxStatements = 1_000,
        MaxRecursionDepth = 20,
        Timeout = TimeSpan.FromSeconds(1),
    }));

    private static readonly ExpressionScope Scope = new(
        new JsonObject { ["shareType"] = 2, ["fields"] = new JsonArray("姓名", "身份证号") },
        new JsonObject { ["county"] = "郏县" },
        new JsonObject { ["review"] = new JsonObject { ["payload"] = new JsonObject { ["approved"] = true } } },
        new JsonObject { ["correlationId"] = "SUB-2026-001" },
        new JsonObject { ["days"] = 5 });

    [TestCase("variables.shareType === 2", "true")]
    [TestCase("variables.fields.length", "2")]
    [TestCase("getVariable('shareType') + 1", "3")]
    [TestCase("input.county + '数据局'", "\"郏县数据局\"")]
    [TestCase("outputs.review.payload.approved", "true")]
    [TestCase("workflow.correlationId", "\"SUB-2026-001\"")]
    [TestCase("payload.days * 2", "10")]
    [TestCase("({ a: 1, b: [variables.shareType] })", "{\"a\":1,\"b\":[2]}")]
    [TestCase("var x = 2; x * 21", "42")]
    [TestCase("const double = n => n * 2; double(variables.shareType)", "4")]
    [TestCase("let total = 0; for (const f of variables.fields) { total += f.length; } total", "6")]
    [TestCase("`${input.county}数据局`", "\"郏县数据局\"")]
    [TestCase("outputs.review?.payload?.approved", "true")]
    [TestCase("outputs.missing?.payload?.approved ?? '未审'", "\"未审\"")]
    [TestCase("variables.fields.map((f, i) => `${i + 1}.${f}`).join('、')", "\"1.姓名、2.身份证号\"")]
    [TestCase("({ ...input, level: 'county' })", "{\"county\":\"郏县\",\"level\":\"county\"}")]
    public void Scripts_see_the_workflow_as_json(string script, string expected) =>
        Assert.That(JsonNode.DeepEquals(_evaluator.Evaluate(script, Scope), JsonNode.Parse(expected)), Is.True, script);

    [Test]
    public void Undefined_result_is_null() => Assert.That(_evaluator.Evaluate("variables.nothing", Scope), Is.Null);

    [TestCase("System.IO.File.ReadAllText('/etc/passwd')")]
    [TestCase("importNamespace('System.IO')")]
    [TestCase("clr.System")]
    public void There_is_no_way_to_the_CLR(string script)
    {
        var error = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate(script, Scope));
        Assert.That(error!.Reason, Does.Contain("ReferenceError"));
    }

    [Test]
    public void An_endless_loop_is_stopped_by_the_statement_limit()
    {
        var error = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("while (true) { }", Scope));
        Assert.That(error!.Message, Does.Contain("语句数超过上限 1000").And.Contain("while (true)"));
    }

    [Test]
    public void A_script_that_allocates_without_end_is_stopped_by_the_memory_limit()
    {
        var evaluator = new JavaScriptEvaluator(Options.Create(new ExpressionOptions { MaxStatements = int.MaxValue, Timeout = TimeSpan.FromSeconds(30), MaxMemoryBytes = 4 * 1024 * 1024 }));
        var error = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("const a = []; while (true) { a.push('数据'.repeat(100)); }", Scope));
        Assert.That(error!.Reason, Does.Contain("占用内存超过上限 4 MB"));
    }

    [Test]
    public void Runaway_recursion_is_stopped_by_the_depth_limit()
    {
        var error = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("function f(n) { return f(n + 1); } f(0)", Scope));
        Assert.That(error!.Reason, Does.Contain("递归深度超过上限 20"));
    }

    [Test]
    public void A_slow_script_is_stopped_by_the_time_limit()
    {
        var evaluator = new JavaScriptEvaluator(Options.Create(new ExpressionOptions { MaxStatements = int.MaxValue, Timeout = TimeSpan.FromMilliseconds(100) }));
        var error = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("var s = 0; for (var i = 0; i < 1e12; i++) { s += i; } s", Scope));
        Assert.That(error!.Reason, Does.Contain("执行时间超过上限 100"));
    }

    [Test]
    public void Scripts_cannot_change_the_workflow_they_read()
    {
        _evaluator.Evaluate("variables.shareType = 3; input.county = 'x'", Scope);
        Assert.That(Scope.Variables["shareType"]?.GetValue<int>(), Is.EqualTo(2));
        Assert.That(_evaluator.Evaluate("variables.shareType", Scope)?.GetValue<int>(), Is.EqualTo(2), "each evaluation starts afresh");
    }

    [Test]
    public void Globals_and_prototypes_a_script_changes_do_not_reach_the_next_evaluation()
    {
        _evaluator.Evaluate("var leaked = 'secret'; Object.prototype.tainted = 1; getVariable = function () { return 'forged'; }; 0", Scope);
        Assert.That(_evaluator.Evaluate("typeof leaked", Scope)?.GetValue<string>(), Is.EqualTo("undefined"));
        Assert.That(_evaluator.Evaluate("({}).tainted", Scope), Is.Null);
        Assert.That(_evaluator.Evaluate("getVariable('shareType')", Scope)?.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public void Regular_expression_literals_keep_no_state_between_evaluations()
    {
        const string script = "var r = /数据/g; r.test(input.county + '数据局') ? r.lastIndex : -1";
        var first = _evaluator.Evaluate(script, Scope)?.GetValue<double>();
        Assert.That(first, Is.EqualTo(4));
        Assert.That(_evaluator.Evaluate(script, Scope)?.GetValue<double>(), Is.EqualTo(first));
    }

    [Test]
    public void Evaluations_on_several_threads_each_see_their_own_scope()
    {
        var results = Enumerable.Range(0, 64).AsParallel().WithDegreeOfParallelism(4).Select(i =>
        {
            var scope = Scope with { Variables = new JsonObject { ["shareType"] = i } };
            return (i, _evaluator.Evaluate("getVariable('shareType') * 2 + variables.shareType", scope)?.GetValue<int>());
        }).ToList();
        Assert.That(results.Select(r => r.Item2), Is.EqualTo(results.Select(r => (int?)(r.i * 3))));
    }

    [Test]
    public void Syntax_errors_name_the_place()
    {
        Assert.That(_evaluator.CheckSyntax("variables.a ==="), Does.StartWith("语法错误").And.Contain("第1行"));
        Assert.That(_evaluator.CheckSyntax("variables.a === 1"), Is.Null);
        Assert.That(_evaluator.CheckSyntax("  "), Is.EqualTo("表达式为空"));
        Assert.That(_evaluator.CheckSyntax("variables.list?.map(x => x ** 2) ?? []"), Is.Null, "ES2023 parses");
        Assert.That(_evaluator.CheckSyntax("let x = 1;\nlet x = 2;"), Does.StartWith("语法错误").And.Contain("第2行"));
        var error = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("1 +", Scope));
        Assert.That(error!.Message, Does.Contain("`1 +`"));
    }

    [Test]
    public void A_thrown_error_is_reported_with_its_message()
    {
        var error = Assert.Throws<ExpressionException>(() => _evaluator.Evaluate("throw new Error('缺少法律依据')", Scope));
        Assert.That(error!.Reason, Does.Contain("缺少法律依据"));
    }
}
