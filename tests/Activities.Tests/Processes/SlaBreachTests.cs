using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// Every human step that has an SLA in a shipped definition is driven to, then left past its deadline: the step turns
/// red, the breach is journaled on that step, and the escalation the definition names is notified. The cases are read
/// from definitions/, so a step that gains an SLA is covered (or fails here until it has a route) without editing
/// this file's list.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SlaBreachTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private static int _codes;

    public static IEnumerable<TestCaseData> StepsWithAnSla() =>
        ShippedSteps().Where(s => s.Sla is not null)
            .Select(s => new TestCaseData(s.Definition, s.Step, s.Sla!["escalation"] is not null).SetName($"{s.Definition}.{s.Step} breaches its SLA"));

    private static IEnumerable<(string Definition, string Step, JsonObject? Sla)> ShippedSteps()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(ShippedData.RepositoryRoot, "definitions"), "*.json").Order(StringComparer.Ordinal))
        {
            var definition = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var activity in definition["root"]!["activities"]!.AsArray().OfType<JsonObject>())
                if (activity["type"]?.GetValue<string>() == "UserTask")
                    yield return (definition["definitionId"]!.GetValue<string>(), activity["id"]!.GetValue<string>(),
                        activity["sla"]?["expression"]?["value"] as JsonObject);
        }
    }

    [Test]
    public void The_shipped_definitions_have_steps_with_an_sla_for_these_tests_to_cover() =>
        Assert.That(StepsWithAnSla().Count(), Is.GreaterThanOrEqualTo(30));

    [TestCaseSource(nameof(StepsWithAnSla))]
    public async Task A_step_left_past_its_deadline_turns_red_is_journaled_and_escalated(string definition, string step, bool escalates)
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await StartAsync(definition, step);
        var task = await WalkToAsync(instance, step, definition);
        Assert.That(task.DueAt, Is.Not.Null, "a step with an SLA has a deadline");
        Assert.That(task.Level, Is.Not.EqualTo(WarningLevel.Red), "not breached on arrival");
        var overdueBefore = await OutboxAsync(instance, "notify.task-overdue");

        Clock.Set(task.DueAt!.Value.AddSeconds(-1));
        await Runtime.TriggerDueBookmarksAsync();
        Assert.That((await StepAsync(instance, step)).Level, Is.Not.EqualTo(WarningLevel.Red), "not yet breached one second before the deadline");

        Clock.Set(task.DueAt!.Value.AddSeconds(1));
        await Runtime.TriggerDueBookmarksAsync();

        var late = await StepAsync(instance, step);
        Assert.That(late.Id, Is.EqualTo(task.Id), "the breach does not take the step away from its holder");
        Assert.That(late.Level, Is.EqualTo(WarningLevel.Red));
        Assert.That((await JournalAsync(instance)).Count(j => j.ActivityId == step && j.Message?.StartsWith("已超期", StringComparison.Ordinal) == true),
            Is.EqualTo(1), "one breach entry on the step");
        var overdue = await OutboxAsync(instance, "notify.task-overdue") - overdueBefore;
        if (escalates) Assert.That(overdue, Is.GreaterThanOrEqualTo(1), "the escalation the definition names is told");
        else Assert.That(overdue, Is.Zero, "no escalation is configured for this step");
        Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
    }

    /// <summary>Starts a case whose routing leads to <paramref name="step"/>, with its first (applicant's) step done.</summary>
    private async Task<Guid> StartAsync(string definition, string step)
    {
        var provider = new JsonObject { ["providerOrgUnitId"] = TestOrganization.PublicSecurity };
        switch (definition)
        {
            case "account-platform" or "account-frontend":
                var (applicant, unit) = step switch
                {
                    "parentConsent" => ("sub.staff", TestOrganization.PublicSecuritySub),
                    "countyReview" => ("yx.applicant", TestOrganization.YeCountyHealth),
                    _ => ("rsj.applicant", TestOrganization.HumanResources),
                };
                return await ApplyAsync(definition, applicant, NewAccountForm(definition, unit));

            case "catalog-municipal":
                return await StartedAsync(definition, "rsj.cataloger", new JsonObject { ["providerOrgUnitId"] = TestOrganization.HumanResources });
            case "catalog-county":
                return await StartedAsync(definition, "yx.cataloger", new JsonObject { ["providerOrgUnitId"] = TestOrganization.YeCountyHealth });
            case "catalog-change":
                var catalog = Services.GetRequiredService<CatalogService>();
                var entry = CatalogEntry();
                var created = Ok(await catalog.CreateAsync(TestOrganization.HumanResources, entry, "rsj.cataloger"));
                Ok(await catalog.SubmitAsync(created.EntryId, "rsj.cataloger"));
                Ok(await catalog.RegisterAsync(created.EntryId, "rsj.admin"));
                Ok(await catalog.PublishAsync(created.EntryId, "rsj.admin"));
                return await ApplyAsync(definition, "rsj.admin", EveryConnectionTests.ChangeRequest(created.EntryId));

            case "subscription":
                var subscription = FormExamples.ResourceSubscription();
                subscription["resourceCode"] = step == "providerApproval" ? ProcessCatalog.Conditional : ProcessCatalog.Unconditional;
                return await ApplyAsync(definition, "rsj.applicant", subscription);
            case "objection":
                return await ApplyAsync(definition, "yx.applicant", FormExamples.ObjectionReport());
            case "interface-request":
                var request = FormExamples.InterfaceRequest();
                if (step == "countyReview") request["departmentFormScan"] = FormExamples.File("部门申请表.pdf");
                if (step == "platformAuthorize")
                {
                    request["resourceCode"] = ProcessCatalog.UnconditionalApi;
                    request["interfaceName"] = ProcessCatalog.UnconditionalInterface;
                }

                return await ApplyAsync(definition, step == "countyReview" ? "yx.applicant" : "rsj.applicant", request);
            case "provincial-resource":
                var provincial = FormExamples.ProvincialRequest();
                provincial["stampedScan"] = FormExamples.File("库表申请表（盖章）.pdf");
                return await ApplyAsync(definition, "rsj.applicant", provincial, new JsonObject { ["proxied"] = false });
            case "dispute":
                return await ApplyAsync(definition, "rsj.applicant", FormExamples.ShareDispute());
            case "interface-revoke":
                provider["authorizationId"] = Guid.NewGuid().ToString();
                provider["summary"] = "居民身份信息核验接口（市人社局）";
                return await StartedAsync(definition, "admin1", provider);
            default:
                Assert.Fail($"No route to the steps of {definition}: add one to {nameof(SlaBreachTests)}.");
                return default;
        }
    }

    private async Task<Guid> StartedAsync(string definition, string initiator, JsonObject input)
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definition) { Initiator = initiator, Input = input });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        return run.Value.InstanceId;
    }

    /// <summary>
    /// Acts on the case's open steps, as their holders, until <paramref name="target"/> is open: approving, except where
    /// the route to the target is a refusal or an external event.
    /// </summary>
    private async Task<TaskView> WalkToAsync(Guid instance, string target, string definition)
    {
        for (var moves = 0; moves < 12; moves++)
        {
            var open = await OpenAsync(instance);
            if (open.FirstOrDefault(t => t.ActivityId == target) is { } reached) return reached;
            if (open.Count == 0 && definition == "provincial-resource")
            {
                var decided = await Runtime.PublishEventAsync("ProvincialDecision", $"PROV-{instance:N}", new JsonObject { ["approved"] = true }, "province");
                Assert.That(decided.Single().IsSuccess, Is.True);
                continue;
            }

            Assert.That(open, Is.Not.Empty, $"the case stopped before reaching {target}: {await OutcomeAsync(instance)}");
            var task = open[0];
            var actor = (await CandidatesAsync(task))[0];
            if (task.ActivityId == "decide" && target == "cityGovernment") Ok(await Tasks.RejectAsync(task.Id, actor, "双方未达成一致"));
            else if (task.ActivityId == "compile") Ok(await Tasks.ApproveAsync(task.Id, actor, null, definition == "catalog-change" ? null : CatalogEntry()));
            else Ok(await Tasks.ApproveAsync(task.Id, actor, null));
        }

        Assert.Fail($"{target} was not reached in 12 moves");
        return default!;
    }

    private static JsonObject CatalogEntry()
    {
        var form = FormExamples.CatalogEntry();
        form.Remove("mountedTableName");
        form["resourceCode"] = $"34140005/{Interlocked.Increment(ref _codes) + 200:D4}";
        form["providerName"] = "平顶山市人力资源和社会保障局";
        return form;
    }
}
