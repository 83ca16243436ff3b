using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// Every connection of every shipped definition is taken by a case driven end to end: each branch, each return, each
/// refusal, including the defensive ones (a catalog entry changed behind the process's back ends in the definition's
/// state fault; a child case cancelled ends the parent as withdrawn). A case is driven along one of its definition's
/// variants (applicant, routing inputs), approving every step except where the connection under test needs a refusal,
/// a tampered entry or a cancellation; whatever path it took must end cleanly: finished with a result, or faulted
/// only by a Fault activity, and its journal intact. The scenario tests beside this one assert the details (assignees,
/// deadlines, journal texts); this one guarantees no connection is left untried.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class EveryConnectionTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private const string Refusal = "测试：不予通过";
    private static int _codes;

    private sealed record Connection(string Source, string Port, string Target)
    {
        public override string ToString() => $"{Source}.{Port} → {Target}";
    }

    private sealed record Variant(string Name, string Initiator, JsonObject Input, JsonObject? FirstForm, bool ProvinceAgrees = true);

    public static IEnumerable<TestCaseData> ShippedDefinitions() =>
        Directory.GetFiles(Path.Combine(ShippedData.RepositoryRoot, "definitions"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileNameWithoutExtension(f)).SetName($"Every connection of {Path.GetFileNameWithoutExtension(f)} is taken"));

    [TestCaseSource(nameof(ShippedDefinitions))]
    public async Task Every_connection_is_taken_by_a_case_that_ends_cleanly(string definitionId)
    {
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ShippedData.RepositoryRoot, "definitions", definitionId + ".json")))!.AsObject();
        var activities = definition["root"]!["activities"]!.AsArray().OfType<JsonObject>()
            .ToDictionary(a => a["id"]!.GetValue<string>(), a => a["type"]!.GetValue<string>());
        var connections = definition["root"]!["connections"]!.AsArray().OfType<JsonObject>()
            .Select(c => new Connection(c["source"]!["activity"]!.GetValue<string>(), c["source"]!["port"]?.GetValue<string>() ?? "Done",
                c["target"]!["activity"]!.GetValue<string>()))
            .ToList();
        // An automatic catalog step that only another automatic step leads into runs in the same burst as it, so no one
        // can change the entry in between: its refusal is a guard that cannot be provoked from outside. It must still
        // lead to a Fault activity, so that a case in that state stops visibly.
        // Likewise the revision of a catalog update: the request's facts refuse, on submission, an entry that cannot be
        // revised (another unit's, unpublished, a version in progress), and the revision runs in that burst. And a switch's
        // default that the platform's facts cannot reach (a subscription's share type is 1 or 2 once the catalog let it be
        // submitted) must lead to a Fault.
        var guards = connections.Where(c => (c.Port == "Refused" && (c.Source == "revise" ||
                !connections.Any(into => into.Target == c.Source && activities[into.Source] == "UserTask")))
            || (c.Port == "Default" && activities[c.Source] == "Switch" && activities[c.Target] == "Fault")).ToList();
        Assert.That(guards.Select(g => activities[g.Target]), Is.All.EqualTo("Fault"), string.Join(", ", guards));
        var untaken = connections.Except(guards).ToHashSet();
        var written = 0;

        foreach (var connection in connections)
        {
            foreach (var variant in Variants(definitionId))
            {
                if (!untaken.Contains(connection)) break;
                var instance = await DriveAsync(definitionId, variant, connection, connections, activities);
                untaken.ExceptWith(await TakenAsync(instance, connections));
                if (JournalCorpus.Writing && Provider == DatabaseProvider.Sqlite)
                {
                    await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
                    await JournalCorpus.WriteAsync(db, instance, $"{definitionId}-{++written:D2}");
                }
            }
        }

        Assert.That(untaken, Is.Empty, $"connections of {definitionId} no variant takes");
    }

    /// <summary>The starting points of each definition: one per routing its branches need.</summary>
    private static IEnumerable<Variant> Variants(string definitionId)
    {
        var provider = () => new JsonObject { ["providerOrgUnitId"] = TestOrganization.PublicSecurity };
        switch (definitionId)
        {
            case "account-platform" or "account-frontend":
                // The route follows the account's unit: the applicant's own department, a secondary unit, a county department.
                foreach (var (applicant, unit) in new[]
                         {
                             ("rsj.applicant", TestOrganization.HumanResources), ("sub.staff", TestOrganization.PublicSecuritySub),
                             ("yx.applicant", TestOrganization.YeCountyHealth),
                         })
                    yield return new Variant(unit, applicant, [], NewAccountForm(definitionId, unit));

                break;
            case "catalog-municipal":
                yield return new Variant("municipal", "rsj.cataloger", new JsonObject { ["providerOrgUnitId"] = TestOrganization.HumanResources }, null);
                break;
            case "catalog-county":
                yield return new Variant("county", "yx.cataloger", new JsonObject { ["providerOrgUnitId"] = TestOrganization.YeCountyHealth }, null);
                break;
            case "catalog-change":
                // The request form is made per case: it names the entry the case publishes first (DriveAsync).
                yield return new Variant("change", "rsj.admin", [], null);
                break;
            case "subscription":
                // The share type comes from the catalog entry the form names; a not-shared one is refused at submission,
                // so the switch's default (a Fault) is a guard no case reaches.
                foreach (var (resource, resourceType) in new[] { (ProcessCatalog.Unconditional, "table"), (ProcessCatalog.Conditional, "file") })
                {
                    var form = FormExamples.ResourceSubscription();
                    form["resourceCode"] = resource;
                    form["resourceType"] = resourceType;
                    if (resourceType != "table") form["requestedFields"] = "无";
                    yield return new Variant($"{resource} {resourceType}", "rsj.applicant", [], form);
                }

                break;
            case "interface-request":
                yield return new Variant("municipal", "rsj.applicant", [], FormExamples.InterfaceRequest());
                var county = FormExamples.InterfaceRequest();
                county["departmentFormScan"] = FormExamples.File("部门申请表.pdf");
                yield return new Variant("through the county (a county department applies)", "yx.applicant", [], county);
                var direct = FormExamples.InterfaceRequest();
                direct["resourceCode"] = ProcessCatalog.UnconditionalApi;
                direct["interfaceName"] = ProcessCatalog.UnconditionalInterface;
                yield return new Variant("authorised by the platform (unconditional)", "rsj.applicant", [], direct);
                break;
            case "objection":
                yield return new Variant("objection", "yx.applicant", [], FormExamples.ObjectionReport());
                break;
            case "dispute":
                yield return new Variant("dispute", "rsj.applicant", [], FormExamples.ShareDispute());
                break;
            case "interface-revoke":
                foreach (var authorization in new[] { Guid.NewGuid().ToString(), RevokeDouble.Ended })
                {
                    var input = provider();
                    input["authorizationId"] = authorization;
                    input["summary"] = "居民身份信息核验接口（市人社局）";
                    yield return new Variant($"authorisation {authorization}", "admin1", input, null);
                }

                break;
            case "provincial-resource":
                // What the create endpoint derives at the start: a resource the city catalog does not hold is forwarded;
                // one it holds goes through the ordinary process as a child case.
                var provincial = FormExamples.ProvincialRequest();
                provincial["stampedScan"] = FormExamples.File("库表申请表（盖章）.pdf");
                yield return new Variant("forwarded, agreed", "rsj.applicant", new JsonObject { ["proxied"] = false }, provincial);
                yield return new Variant("forwarded, refused", "rsj.applicant", new JsonObject { ["proxied"] = false }, provincial, ProvinceAgrees: false);
                foreach (var kind in new[] { "table", "interface" })
                {
                    var form = kind == "table" ? FormExamples.ResourceSubscription() : FormExamples.InterfaceRequest();
                    form["resourceCode"] = kind == "table" ? ProcessCatalog.Unconditional : ProcessCatalog.UnconditionalApi;
                    if (kind == "interface") form["interfaceName"] = ProcessCatalog.UnconditionalInterface;
                    var input = new JsonObject
                    {
                        ["proxied"] = true, ["requestKind"] = kind, ["shareType"] = 1, ["providerOrgUnitId"] = ProcessCatalog.Provider,
                        ["form"] = ApplicantView(form),
                    };
                    yield return new Variant($"already proxied {kind}", "rsj.applicant", input, null);
                }

                break;
            default:
                Assert.Fail($"No variants for {definitionId}: add them to {nameof(EveryConnectionTests)}.");
                break;
        }
    }

    /// <summary>
    /// Runs one case of <paramref name="variant"/> to its end, steering it into <paramref name="wanted"/>: a human step
    /// takes the wanted port; an activity's refusal is provoked just before the step that leads into it.
    /// </summary>
    private async Task<Guid> DriveAsync(string definitionId, Variant variant, Connection wanted, IReadOnlyList<Connection> connections,
        IReadOnlyDictionary<string, string> activities)
    {
        var input = variant.Input.DeepClone().AsObject();
        JsonObject? changedEntry = null;
        var catalog = Services.GetRequiredService<CatalogService>();
        if (definitionId == "catalog-change")
        {
            var entry = CatalogEntry();
            var created = Ok(await catalog.CreateAsync(TestOrganization.HumanResources, entry, "rsj.cataloger"));
            Ok(await catalog.SubmitAsync(created.EntryId, "rsj.cataloger"));
            Ok(await catalog.RegisterAsync(created.EntryId, "rsj.admin"));
            Ok(await catalog.PublishAsync(created.EntryId, "rsj.admin"));
            variant = variant with { FirstForm = ChangeRequest(created.EntryId) };
            changedEntry = entry;
        }

        var run = await Runtime.StartAsync(new StartWorkflowRequest(definitionId) { Initiator = variant.Initiator, Input = input });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        var instance = run.Value.InstanceId;
        var humanWanted = activities[wanted.Source] == "UserTask";
        // A catalog step is refused by changing its entry behind the case; other refusals come from the variant itself.
        var refusalWanted = !humanWanted && wanted.Port == "Refused" && definitionId.StartsWith("catalog-", StringComparison.Ordinal);
        var leadsIntoWanted = connections.Where(c => c.Target == wanted.Source && activities[c.Source] == "UserTask").ToList();
        var steered = false;
        var trail = new List<string>();

        for (var moves = 0; moves < 25; moves++)
        {
            var status = (await Queries.GetInstanceAsync(instance))!.Status;
            if (status != WorkflowStatus.Suspended) return instance;

            var children = await Queries.GetChildInstanceIdsAsync(instance);
            if (!steered && wanted.Port == "Cancelled" && children.Count > 0)
            {
                Ok(await Runtime.CancelAsync(children[0], "admin1", "测试：子流程撤销"));
                steered = true;
                continue;
            }

            var open = new List<TaskView>(await OpenAsync(instance));
            foreach (var child in children) open.AddRange(await OpenAsync(child));
            if (open.Count == 0)
            {
                var decided = await Runtime.PublishEventAsync("ProvincialDecision", $"PROV-{instance:N}",
                    new JsonObject { ["approved"] = variant.ProvinceAgrees, ["reason"] = "测试" }, "province");
                Assert.That(decided, Is.Not.Empty, $"{definitionId} ({variant.Name}) waits with no open step and no event to answer");
                continue;
            }

            var task = open[0];
            var actor = (await CandidatesAsync(task))[0];
            var port = "Approve";
            var form = DefaultForm(definitionId, task, variant, changedEntry);
            if (!steered && humanWanted && task.ActivityId == wanted.Source)
            {
                port = wanted.Port;
                steered = true;
            }
            else if (!steered && refusalWanted && leadsIntoWanted.FirstOrDefault(c => c.Source == task.ActivityId) is { } into)
            {
                port = into.Port;
                steered = true;
                if (wanted.Source == "saveDraft") form = Duplicate(form);
                else if (wanted.Source == "mount") form = new JsonObject { ["mountedFiles"] = MountedFiles() };
                else await ChangeBehindTheProcessAsync(catalog, EntryId(await Queries.GetInstanceAsync(instance)));
            }
            else if (!steered && TowardsByRefusal(task.ActivityId, wanted.Source, connections))
                port = "Reject";

            var sent = form is null ? null : await AsSentAsync(task.Id, actor, form, ApplicantDescribes(task.DefinitionId));
            var acted = port == "Reject"
                ? await Tasks.RejectAsync(task.Id, actor, Refusal, task.ActivityId == "reply" ? DisagreeingReply() : null)
                : await Tasks.ApproveAsync(task.Id, actor, null, sent);
            Ok(acted);
            trail.Add($"{task.ActivityId}.{port}");
        }

        Assert.Fail($"{definitionId} ({variant.Name}) did not end in 25 moves, steering into {wanted}: {string.Join(" ", trail)}");
        return instance;
    }

    /// <summary>The connections the case took, from its journal: a port taken and then its target run.</summary>
    private async Task<IReadOnlyList<Connection>> TakenAsync(Guid instance, IReadOnlyList<Connection> connections)
    {
        var state = (await Queries.GetInstanceAsync(instance))!;
        var journal = await JournalAsync(instance);
        var faultedByDesign = journal.Any(j => j.ActivityType == "Fault");
        if (faultedByDesign) Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Faulted), "a Fault activity faults the case");
        else
        {
            Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Finished), () => $"{state.DefinitionId} ended {state.Status}: {state.FaultMessage}");
            Assert.That(state.Result, Is.Not.Null, "every end of a shipped definition names its result");
        }

        Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
        return connections.Where(c => journal.Any(source => source.ActivityId == c.Source && source.Outcome == c.Port &&
            journal.Any(target => target.Sequence > source.Sequence && target.ActivityId == c.Target))).ToList();
    }

    /// <summary>Whether only the refusal of <paramref name="step"/> leads on to <paramref name="wanted"/>.</summary>
    private static bool TowardsByRefusal(string step, string wanted, IReadOnlyList<Connection> connections)
    {
        bool Reaches(string port)
        {
            var seen = new HashSet<string>();
            var next = new Queue<string>(connections.Where(c => c.Source == step && c.Port == port).Select(c => c.Target));
            while (next.TryDequeue(out var at))
            {
                if (at == wanted) return true;
                if (at == step || !seen.Add(at)) continue;
                foreach (var c in connections.Where(c => c.Source == at)) next.Enqueue(c.Target);
            }

            return false;
        }

        return !Reaches("Approve") && Reaches("Reject");
    }

    /// <summary>
    /// Someone changes the entry outside the case (a registration returned, an entry in review sent back, a published
    /// entry withdrawn), so the catalog refuses the case's next move.
    /// </summary>
    private static async Task ChangeBehindTheProcessAsync(CatalogService catalog, Guid entryId)
    {
        const string reason = "目录已在流程外变更";
        if ((await catalog.ReturnRegistrationAsync(entryId, "admin1", [reason])).IsSuccess) return;
        if ((await catalog.ReturnFromReviewAsync(entryId, "rsj.admin", reason)).IsSuccess) return;
        Ok(await catalog.WithdrawAsync(entryId, "admin1", reason));
    }

    private static JsonObject? DefaultForm(string definitionId, TaskView task, Variant variant, JsonObject? changedEntry) => task.ActivityId switch
    {
        "submit" or "report" or "describe" or "request" when variant.FirstForm is not null && IsFirstStep(definitionId, task) => variant.FirstForm.DeepClone().AsObject(),
        // A child case started on the applicant's behalf: the applicant adds the stamped scan of the ordinary form.
        "submit" when task.DefinitionId != definitionId => new JsonObject { ["stampedScan"] = FormExamples.File("申请表（盖章）.pdf") },
        // The applicant's contact is not on record in the test organisation: the bureau confirms it before issuing.
        "issue" when definitionId.StartsWith("account-", StringComparison.Ordinal) => new JsonObject { ["contactCheck"] = "confirmed" },
        "compile" => changedEntry?.DeepClone().AsObject() ?? CatalogEntry(),
        "mountStep" => new JsonObject { ["mountedFiles"] = MountedFiles(), ["mountedFolder"] = "/rsj/dbmc" },
        "reply" => FormExamples.ObjectionReply(),
        _ => null,
    };

    /// <summary>A child case's submit step belongs to the child's definition, whose form the parent passed on.</summary>
    private static bool IsFirstStep(string definitionId, TaskView task) => task.DefinitionId == definitionId;

    private static JsonObject DisagreeingReply()
    {
        var reply = FormExamples.ObjectionReply();
        reply["replyResult"] = "verifiedCorrect";
        reply.Remove("correctedOn");
        return reply;
    }

    /// <summary>A compile form whose resource code another entry already holds: the catalog refuses to save it.</summary>
    private static JsonObject Duplicate(JsonObject? form)
    {
        var copy = form ?? CatalogEntry();
        copy["resourceCode"] = "34140005/9999";
        return copy;
    }

    /// <summary>A form passed on to a child case as the applicant filled it: without the files of another case.</summary>
    private static JsonObject ApplicantView(JsonObject form)
    {
        var copy = (JsonObject)form.DeepClone();
        foreach (var key in copy.Where(p => p.Value is JsonObject file && file.ContainsKey("id")).Select(p => p.Key).ToList()) copy.Remove(key);
        return copy;
    }

    /// <summary>A catalog update of <paramref name="entryId"/> after a change of functions on the day the test clock starts.</summary>
    internal static JsonObject ChangeRequest(Guid entryId) => new()
    {
        ["catalogEntryId"] = entryId.ToString(), ["changeKind"] = "function", ["changeBasis"] = "职能调整，目录摘要需更新", ["changeOccurredOn"] = "2026-03-02",
    };

    private static JsonArray MountedFiles() => [new JsonObject { ["fileName"] = "低保名册.xls" }];

    private static Guid EntryId(InstanceView? instance) => Guid.Parse(instance!.Variables["catalogEntryId"]!.GetValue<string>());

    private static JsonObject CatalogEntry()
    {
        var form = FormExamples.CatalogEntry();
        form.Remove("mountedTableName");
        form["resourceCode"] = $"34140005/{Interlocked.Increment(ref _codes) + 400:D4}";
        form["providerName"] = "平顶山市人力资源和社会保障局";
        form["shareMethodType"] = "file";
        return form;
    }

    [OneTimeSetUp]
    public async Task HoldTheDuplicatedCodeAsync()
    {
        var form = CatalogEntry();
        form["resourceCode"] = "34140005/9999";
        Ok(await Services.GetRequiredService<CatalogService>().CreateAsync(TestOrganization.HumanResources, form, "rsj.cataloger"));
    }
}
