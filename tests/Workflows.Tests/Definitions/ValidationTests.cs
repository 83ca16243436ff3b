using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Definitions;

public sealed class ValidationTests
{
    private ServiceProvider _services = null!;
    private DefinitionValidator _validator = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _services = new ServiceCollection().AddLogging().AddWorkflowEngine().AddTestActivities().BuildServiceProvider();
        _validator = _services.GetRequiredService<DefinitionValidator>();
    }

    [OneTimeTearDown]
    public void TearDown() => _services.Dispose();

    private static DefinitionBuilder Valid() => new DefinitionBuilder("v")
        .Variable("approved")
        .Add("start", "Start")
        .Add("decide", "Decision", ("condition", Js("variables.approved")))
        .Add("yes", "End")
        .Add("no", "End")
        .Connect("start", "decide")
        .Connect("decide:True", "yes")
        .Connect("decide:False", "no");

    private IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition) => _validator.Validate(definition);

    [Test]
    public void A_well_formed_definition_has_no_errors() => Assert.That(Validate(Valid().Build()), Is.Empty);

    [Test]
    public void Unknown_activity_type_is_named()
    {
        var errors = Validate(Valid().Add("mystery", "Pds.DoesNotExist").Connect("decide:True", "mystery").Build());
        Assert.That(errors, Has.One.Matches<DefinitionError>(e => e.Code == "unknown_activity_type" && e.ActivityId == "mystery"
            && e.Message.Contains("Pds.DoesNotExist")));
    }

    [Test]
    public void Missing_required_input_names_the_activity_and_the_input()
    {
        var definition = Valid().Build();
        definition.Root.Activities.Single(a => a.Id == "decide").Inputs.Clear();
        var errors = Validate(definition);
        Assert.That(errors, Has.One.Matches<DefinitionError>(e => e.Code == "missing_required_input" && e.ActivityId == "decide"
            && e.Input == "condition" && e.Message.Contains("条件")));
    }

    [Test]
    public void Blank_literal_counts_as_missing()
    {
        var errors = Validate(Valid().Add("wait", "WaitForEvent", ("eventName", Literal("  "))).Connect("decide:True", "wait").Build());
        Assert.That(errors, Has.One.Matches<DefinitionError>(e => e.Code == "missing_required_input" && e.ActivityId == "wait" && e.Input == "eventName"));
    }

    [Test]
    public void Connection_to_unknown_activity_is_an_error()
    {
        var errors = Validate(Valid().Connect("decide:True", "ghost").Connect("phantom", "yes").Build());
        Assert.That(errors.Select(e => e.Code), Is.SupersetOf(new[] { "unknown_connection_target", "unknown_connection_source" }));
        Assert.That(errors.Single(e => e.Code == "unknown_connection_target").Message, Does.Contain("ghost"));
        Assert.That(errors.Single(e => e.Code == "unknown_connection_source").Message, Does.Contain("phantom"));
    }

    [Test]
    public void Connection_from_a_port_the_activity_does_not_have_is_an_error()
    {
        var errors = Validate(Valid().Connect("decide:Maybe", "yes").Build());
        var error = errors.Single(e => e.Code == "unknown_port");
        Assert.That((error.ActivityId, error.Input), Is.EqualTo(("decide", "Maybe")));
        Assert.That(error.Message, Does.Contain("True").And.Contain("False"));
    }

    [Test]
    public void Dynamic_ports_of_fork_and_switch_are_known_from_their_inputs()
    {
        var definition = new DefinitionBuilder("d")
            .Add("start", "Start")
            .Add("fork", "Fork", ("branches", Literal(new JsonArray("a", "b"))))
            .Add("sw", "Switch", ("cases", Literal(new JsonArray(new JsonObject { ["label"] = "x", ["condition"] = "true" }))))
            .Add("end", "End")
            .Connect("start", "fork").Connect("fork:a", "sw").Connect("fork:b", "end").Connect("sw:x", "end").Connect("sw:Default", "end")
            .Build();
        Assert.That(Validate(definition), Is.Empty);
        definition.Root.Connections.Add(new Connection { Source = new Endpoint { Activity = "fork", Port = "c" }, Target = new Endpoint { Activity = "end" } });
        Assert.That(Validate(definition).Single().Code, Is.EqualTo("unknown_port"));
    }

    [Test]
    public void Target_port_other_than_In_is_an_error()
    {
        var definition = Valid().Build();
        definition.Root.Connections[0].Target.Port = "Side";
        Assert.That(Validate(definition), Has.One.Matches<DefinitionError>(e => e.Code == "unknown_port" && e.ActivityId == "decide"));
    }

    [Test]
    public void Unreachable_activity_is_named()
    {
        var errors = Validate(Valid().Add("orphan", "End").Build());
        Assert.That(errors, Has.One.Matches<DefinitionError>(e => e.Code == "unreachable_activity" && e.ActivityId == "orphan"));
    }

    [Test]
    public void No_start_is_an_error_and_a_second_start_too()
    {
        var none = new DefinitionBuilder("n").Add("end", "End").Build();
        Assert.That(Validate(none).Select(e => e.Code), Does.Contain("no_start"));
        var two = Valid().Add("start2", "Start").Connect("start2", "yes").Build();
        Assert.That(Validate(two), Has.One.Matches<DefinitionError>(e => e.Code == "multiple_starts" && e.ActivityId == "start2"));
    }

    [Test]
    public void Expression_that_does_not_parse_is_quoted_with_its_activity_and_input()
    {
        var definition = Valid().Build();
        definition.Root.Activities.Single(a => a.Id == "decide").Inputs["condition"] = Js("variables.approved ===");
        var error = Validate(definition).Single();
        Assert.That((error.Code, error.ActivityId, error.Input), Is.EqualTo(("expression_syntax", "decide", "condition")));
        Assert.That(error.Message, Does.Contain("variables.approved ==="));
    }

    [Test]
    public void Switch_case_conditions_are_syntax_checked()
    {
        var definition = new DefinitionBuilder("s").Add("start", "Start")
            .Add("sw", "Switch", ("cases", Literal(new JsonArray(new JsonObject { ["label"] = "x", ["condition"] = "input.a ==" }))))
            .Connect("start", "sw").Build();
        Assert.That(Validate(definition), Has.One.Matches<DefinitionError>(e => e.Code == "expression_syntax" && e.ActivityId == "sw" && e.Input == "cases"));
    }

    [Test]
    public void Expression_where_only_a_constant_is_allowed_is_an_error()
    {
        var definition = new DefinitionBuilder("c").Add("start", "Start").Add("wait", "WaitForEvent", ("eventName", Js("'x'")))
            .Connect("start", "wait").Build();
        Assert.That(Validate(definition), Has.One.Matches<DefinitionError>(e => e.Code == "expression_not_supported" && e.Input == "eventName"));
    }

    [Test]
    public void Duplicate_ids_and_undeclared_variables_are_errors()
    {
        var definition = Valid().Variable("approved").Add("decide", "End")
            .Add("set", "SetVariable", ("variable", Literal("nope")), ("value", Literal(1))).Connect("decide:True", "set").Build();
        var codes = Validate(definition).Select(e => e.Code).ToList();
        Assert.That(codes, Is.SupersetOf(new[] { "duplicate_activity_id", "duplicate_variable", "unknown_variable" }));
    }

    [Test]
    public void Descriptors_carry_what_the_designer_needs()
    {
        var registry = _services.GetRequiredService<PdsWorkflow.Workflows.Activities.ActivityRegistry>();
        var decision = registry.Find("Decision")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.DisplayName, Is.EqualTo("条件判断"));
            Assert.That(decision.Category, Is.EqualTo("流程控制"));
            Assert.That(decision.Outcomes, Is.EqualTo(new[] { "True", "False" }));
            var condition = decision.Inputs.Single();
            Assert.That((condition.Name, condition.Kind, condition.Required, condition.UIHint), Is.EqualTo(("condition", "Boolean", true, "code-editor")));
            var join = registry.Find("Join")!.Inputs.Single();
            Assert.That(join.DefaultValue?.GetValue<string>(), Is.EqualTo("WaitAll"));
            Assert.That(join.Options, Is.EqualTo(new[] { "WaitAll", "WaitAny" }));
            Assert.That(registry.Find("Fork")!.HasDynamicOutcomes, Is.True);
            Assert.That(registry.Find("WaitForEvent")!.Outputs.Single().Name, Is.EqualTo("payload"));
            Assert.That(registry.Descriptors.Select(d => d.Type), Is.SupersetOf(new[]
                { "Start", "End", "Decision", "Switch", "Fork", "Join", "SetVariable", "WaitForEvent", "Fault", "RunWorkflow", "Delay" }));
        }
    }

    [TestCase(3.0)]
    [TestCase(0.0)]
    [TestCase(-0.5)]
    public void A_vote_ratio_outside_zero_to_one_is_an_error(double ratio)
    {
        var definition = new DefinitionBuilder("ratio").Add("start", "Start").UserTask("vote", HumanSteps.Users("a", "b"), mode: "ratio", ratio: ratio)
            .Add("end", "End").Chain("start", "vote").Connect("vote:Approve", "end").Connect("vote:Reject", "end").Build();
        var error = Validate(definition).Single(e => e.Code == "invalid_approval_ratio");
        Assert.That((error.ActivityId, error.Input), Is.EqualTo(("vote", "approvalRatio")));
        Assert.That(error.Message, Does.Contain("大于 0 且不超过 1"));
    }

    [Test]
    public void A_vote_ratio_of_one_or_less_is_accepted()
    {
        var definition = new DefinitionBuilder("ratio").Add("start", "Start").UserTask("vote", HumanSteps.Users("a", "b"), mode: "ratio", ratio: 1)
            .Add("end", "End").Chain("start", "vote").Connect("vote:Approve", "end").Connect("vote:Reject", "end").Build();
        Assert.That(Validate(definition), Is.Empty);
    }

    [Test]
    public void Unconnected_outcomes_and_dead_ends_are_warnings_in_chinese_and_escalated_only_when_taken()
    {
        var builder = new DefinitionBuilder("open").Add("start", "Start").UserTask("review", HumanSteps.Users("a"))
            .UserTask("escalating", HumanSteps.Users("a"), sla: new JsonObject { ["workingDays"] = 2, ["escalation"] = new JsonObject { ["notifyTo"] = HumanSteps.Users("b"), ["takeEscalationOutcome"] = true } })
            .Add("stuck", "Decision", ("condition", Js("true")))
            .Add("end", "End")
            .Chain("start", "review").Connect("review:Approve", "escalating").Connect("escalating:Approve", "stuck").Connect("escalating:Reject", "end");
        var definition = builder.Build();
        Assert.That(Validate(definition), Is.Empty, "warnings do not stop publishing");

        var warnings = _validator.Warnings(definition);
        Assert.That(warnings.Select(w => (w.Code, w.ActivityId, w.Input)), Is.EquivalentTo(new[]
        {
            ("unconnected_outcome", "review", "Reject"),
            ("unconnected_outcome", "escalating", "Escalated"),
            ("dead_end", "stuck", (string?)null),
        }));
        Assert.That(warnings.Single(w => w.ActivityId == "review").Message, Is.EqualTo("环节“review”的出口“不同意”没有连线：走到该出口时流程就此结束。"));
        Assert.That(_validator.Warnings(Valid().Build()), Is.Empty, "a definition whose every outcome leads somewhere");
    }
}
