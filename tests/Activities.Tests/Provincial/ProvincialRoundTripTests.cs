using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Activities.Tests.Processes;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Provincial;

/// <summary>
/// P7 with the real provincial steps: the shipped definition forwards the package through the outbox to a local portal
/// that checks the signature, the decision resumes the case once, and an approval registers the resource in the city
/// catalog as proxied by the bureau, with its source.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ProvincialRoundTripTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private const string Secret = "pds-test-provincial-shared-secret-0123456789";
    private readonly LocalProvincialPortal _portal = new(Secret);
    private int _sequence;

    private ProvincialDecisions Decisions => Services.GetRequiredService<ProvincialDecisions>();
    private OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();
    private CatalogService Catalog => Services.GetRequiredService<CatalogService>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Configure<ProvincialOptions>(o =>
        {
            o.Portal = ProvincialPortalKind.Http;
            o.Endpoint = _portal.Endpoint.ToString();
            o.SharedSecret = Secret;
        });

        // Registered after the process tests' doubles, the real steps win.
        services.AddActivity<ForwardToProvince>().AddActivity<RegisterProxiedResource>();
        services.AddOutbox(configure: o =>
        {
            o.FirstRetryDelay = TimeSpan.FromSeconds(10);
            o.MaxAttempts = 3;
        });
    }

    [OneTimeTearDown]
    public async Task StopPortalAsync() => await _portal.DisposeAsync();

    [Test]
    public async Task A_forwarded_request_reaches_the_portal_signed_and_the_approval_proxies_the_resource_into_the_catalog()
    {
        var (instance, correlationId, scan) = await ForwardAsync();

        Assert.That(await Dispatcher.DispatchDueAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(1));
        Assert.That(_portal.Requests.Where(r => r.Key == correlationId).Select(r => r.Status), Is.EqualTo(new[] { 200 }));
        var package = _portal.Packages[correlationId];
        Assert.That(package["caseId"]!.GetValue<string>(), Is.EqualTo(instance.ToString()));
        Assert.That(package["platform"]!.GetValue<string>(), Is.EqualTo("410400"));
        Assert.That(package["form"]!["resourceName"]!.GetValue<string>(), Is.EqualTo("河南省企业信用信息"));
        var attachment = package["attachments"]!.AsArray().Single()!;
        Assert.That(attachment["sha256"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(scan))));
        Assert.That(attachment["size"]!.GetValue<long>(), Is.EqualTo(scan.Length));
        Assert.That((await JournalAsync(instance)).Select(e => e.Message ?? ""), Has.Some.Contains($"已转交省级平台，关联号 {correlationId}，附件 1 份"));

        var code = NextCode();
        var receipt = Ok(await Decisions.RecordAsync(correlationId, Approval(code), ProvincialDecisions.PortalActor));
        Assert.That((receipt.InstanceId, receipt.Approved), Is.EqualTo((instance, true)));

        var entry = await Catalog.FindByResourceCodeAsync(code);
        Assert.That(entry, Is.Not.Null);
        Assert.That(entry!.ProviderOrgUnitId, Is.EqualTo(TestOrganization.Bureau));
        Assert.That(entry.Published?.Status, Is.EqualTo(CatalogStatus.Published));
        Assert.That(entry.Source, Is.EqualTo(new CatalogSource(CatalogSource.Province, "河南省市场监督管理局", "豫41000100101/0003", correlationId)));

        var again = await Decisions.RecordAsync(correlationId, Approval(NextCode()), ProvincialDecisions.PortalActor);
        Assert.That(again.Error?.Code, Is.EqualTo("provincial_decision_already_recorded"));
        Assert.That(again.Error?.Kind, Is.EqualTo(WorkflowErrorKind.Conflict));

        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "integrate")).Id, "support1", "已协助对接"));
        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"proxied")));
        Assert.That((await Catalog.SearchAsync(new CatalogQuery { Name = "营业执照" })).Value.Items.Select(i => i.ResourceCode), Does.Contain(code));
    }

    [Test]
    public async Task A_portal_that_fails_at_first_gets_the_same_package_again_under_the_same_key()
    {
        var (_, correlationId, _) = await ForwardAsync();
        _portal.FailNext(1);

        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        Clock.Advance(TimeSpan.FromSeconds(11));
        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.That(_portal.Requests.Where(r => r.Key == correlationId).Select(r => r.Status), Is.EqualTo(new[] { 503, 200 }));
        Assert.That(_portal.Packages.Keys.Count(k => k == correlationId), Is.EqualTo(1));
    }

    [Test]
    public async Task A_refusal_ends_the_case_and_tells_the_applicant_why()
    {
        var (instance, correlationId, _) = await ForwardAsync();

        var receipt = Ok(await Decisions.RecordAsync(correlationId, new JsonObject { ["approved"] = false, ["reason"] = "该资源仅限省直部门使用" }, "section1"));

        Assert.That(receipt.Approved, Is.False);
        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"rejected")));
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var notice = await db.Outbox.SingleAsync(m => m.InstanceId == instance && m.Type == "notify.case");
        Assert.That(JsonNode.Parse(notice.PayloadJson)!["body"]!.GetValue<string>(), Is.EqualTo("该资源仅限省直部门使用"));
    }

    [Test]
    public async Task An_incomplete_decision_is_refused_and_the_case_keeps_waiting()
    {
        var (instance, correlationId, _) = await ForwardAsync();

        var noResource = await Decisions.RecordAsync(correlationId, new JsonObject { ["approved"] = true }, "section1");
        var noReason = await Decisions.RecordAsync(correlationId, new JsonObject { ["approved"] = false }, "section1");
        var badCatalog = Approval(NextCode());
        badCatalog["catalog"]!["shareType"] = 3;
        badCatalog["catalog"]!.AsObject().Remove("shareLegalBasis");
        var invalidCatalog = await Decisions.RecordAsync(correlationId, badCatalog, "section1");

        Assert.That(noResource.Error?.Errors.Select(e => e.Input), Is.EquivalentTo(new[] { "department", "resourceCode", "catalog" }));
        Assert.That(noReason.Error?.Errors.Select(e => e.Input), Is.EqualTo(new[] { "reason" }));
        Assert.That(invalidCatalog.Error?.Code, Is.EqualTo(CatalogErrors.FormInvalidCode));
        Assert.That((await OutcomeAsync(instance)).Status, Is.EqualTo(WorkflowStatus.Suspended));
        Assert.That((await Decisions.RecordAsync("PROV-unknown", Approval(NextCode()), "section1")).Error?.Code, Is.EqualTo("provincial_request_not_found"));
    }

    [Test]
    public void The_signature_fails_for_another_body_another_secret_or_a_stale_timestamp()
    {
        var now = Clock.GetUtcNow();
        var body = Encoding.UTF8.GetBytes("""{"correlationId":"PROV-1","approved":false,"reason":"不同意"}""");
        var signature = ProvincialSignature.Sign(Secret, now.ToUnixTimeSeconds(), body);
        var stamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(ProvincialSignature.Verify(Secret, stamp, signature, body, now, TimeSpan.FromMinutes(5)), Is.True);
        Assert.That(ProvincialSignature.Verify(Secret, stamp, signature, [.. body, (byte)' '], now, TimeSpan.FromMinutes(5)), Is.False);
        Assert.That(ProvincialSignature.Verify(Secret + "x", stamp, signature, body, now, TimeSpan.FromMinutes(5)), Is.False);
        Assert.That(ProvincialSignature.Verify(Secret, stamp, signature, body, now.AddMinutes(6), TimeSpan.FromMinutes(5)), Is.False);
        Assert.That(ProvincialSignature.Verify(Secret, stamp, "sha256=zz", body, now, TimeSpan.FromMinutes(5)), Is.False);
    }

    /// <summary>Applies with a stamped scan attached, and the bureau forwards: the case waits for the province.</summary>
    private async Task<(Guid Instance, string CorrelationId, byte[] Scan)> ForwardAsync()
    {
        var run = Ok(await Runtime.StartAsync(new StartWorkflowRequest("provincial-resource")
        {
            Initiator = "rsj.applicant",
            Input = new JsonObject { ["proxied"] = false },
        }));
        var instance = run.InstanceId;
        var submit = await StepAsync(instance, "submit");
        var scan = Encoding.UTF8.GetBytes($"%PDF-1.4 库表申请表（盖章）{Guid.NewGuid()}");
        var stored = Ok(await Services.GetRequiredService<TaskAttachments>().AttachAsync(submit.Id, "rsj.applicant", "库表申请表（盖章）.pdf", new MemoryStream(scan)));
        // A resource the city catalog does not hold: the applicant names it and its provincial department.
        var form = FormExamples.ProvincialRequest();
        form["stampedScan"] = new JsonObject { ["id"] = stored.Id.ToString(), ["name"] = stored.FileName };
        Ok(await Tasks.ApproveAsync(submit.Id, "rsj.applicant", "提交申请", form));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "forwardStep")).Id, "section1", "同意转交"));

        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var wait = await db.Bookmarks.SingleAsync(b => b.InstanceId == instance && b.Status == BookmarkStatus.Open);
        Assert.That(wait.Name, Is.EqualTo(BookmarkNames.Event(ProvincialDecisions.EventName)));
        Assert.That(await db.Outbox.CountAsync(m => m.Type == ProvincialForwardHandler.Type && m.Key == wait.CorrelationKey), Is.EqualTo(1));
        return (instance, wait.CorrelationKey!, scan);
    }

    private string NextCode() => $"34140005/{Interlocked.Increment(ref _sequence) + (Provider == DatabaseProvider.Sqlite ? 100 : 200):D4}";

    private static JsonObject Approval(string code)
    {
        var catalog = FormExamples.CatalogEntry();
        catalog["resourceName"] = "企业营业执照信息（省级代理）";
        catalog["resourceCode"] = code;
        catalog["providerName"] = "河南省市场监督管理局";
        catalog.Remove("mountedTableName");
        return new JsonObject
        {
            ["approved"] = true,
            ["department"] = "河南省市场监督管理局",
            ["resourceCode"] = "豫41000100101/0003",
            ["catalog"] = catalog,
        };
    }
}
