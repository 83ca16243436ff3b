using System.Net;
using System.Net.Http.Json;
using System.Text;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// Uploads over HTTP on each database (issue #14): the CSRF header is required, a refused upload leaves no row and no
/// file, the bytes must be what the extension and the form field say, and a download carries the checked type.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class UploadSecurityTests(DatabaseProvider provider)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;
    private RowCounter _rows = null!;
    private Guid _case;
    private Guid _task;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = await HostFactory.StartAsync(provider, seedDemo: true);
        _sessions = new ApiSessions(_factory);
        _rows = new RowCounter(_factory.Services);
        // 叶县卫健委's conditional subscription, waiting at 市公安局's provider approval (gaj.approver).
        (_case, _task) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [TestCase("applications")]
    [TestCase("tasks")]
    public async Task An_upload_without_the_csrf_header_is_refused_and_stores_nothing(string through)
    {
        var approver = await _sessions.AsAsync("gaj.approver");
        var url = through == "tasks" ? $"/api/tasks/{_task}/attachments" : $"/api/applications/{_case}/attachments";
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(url)) { Content = File(Pdf, "盖章件.pdf") };
        request.Headers.Add(AuthRegistration.CsrfHeader, "forged");
        var before = await _rows.CountAsync();
        var files = _factory.StoredFiles();

        using var withoutHeader = new HttpRequestMessage(HttpMethod.Post, Url(url)) { Content = File(Pdf, "盖章件.pdf") };
        var token = approver.DefaultRequestHeaders.GetValues(AuthRegistration.CsrfHeader).Single();
        approver.DefaultRequestHeaders.Remove(AuthRegistration.CsrfHeader);
        HttpResponseMessage missing, forged;
        try
        {
            missing = await approver.SendAsync(withoutHeader);
            forged = await approver.SendAsync(request);
        }
        finally
        {
            approver.DefaultRequestHeaders.Add(AuthRegistration.CsrfHeader, token);
        }

        Assert.That((missing.StatusCode, (await missing.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "csrf_token_invalid")));
        Assert.That((forged.StatusCode, (await forged.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "csrf_token_invalid")));
        Assert.That(RowCounter.Diff(before, await _rows.CountAsync()), Is.Empty);
        Assert.That(_factory.StoredFiles(), Is.EquivalentTo(files));
    }

    [Test]
    public async Task An_auditors_upload_to_a_case_is_refused_with_403_and_leaves_no_file_on_disk()
    {
        var auditor = await _sessions.AsAsync("bureau.auditor");
        Assert.That((await auditor.GetAsync(Url($"/api/applications/{_case}"))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the auditor sees every case");
        var before = await _rows.CountAsync();
        var files = _factory.StoredFiles();
        // Distinct bytes: a file nobody stored before.
        var content = Encoding.ASCII.GetBytes($"%PDF-1.4 {Guid.NewGuid()}");

        var refused = await auditor.PostAsync(Url($"/api/applications/{_case}/attachments"), File(content, "审计意见.pdf"));
        var onTask = await auditor.PostAsync(Url($"/api/tasks/{_task}/attachments"), File(content, "审计意见.pdf"));

        Assert.That((refused.StatusCode, (await refused.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Forbidden, "not_task_holder")));
        Assert.That((onTask.StatusCode, (await onTask.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Forbidden, "not_task_holder")));
        Assert.That(RowCounter.Diff(before, await _rows.CountAsync()), Is.Empty);
        Assert.That(_factory.StoredFiles(), Is.EquivalentTo(files));
    }

    [TestCase("盖章件.pdf", "png", "file_content_mismatch")]
    [TestCase("扫描件.png", "html", "file_content_mismatch")]
    [TestCase("setup.exe", "pdf", "file_type_not_allowed")]
    [TestCase("空.pdf", "empty", "file_empty")]
    public async Task A_file_whose_bytes_disagree_with_its_name_is_refused_with_a_field_error(string name, string bytes, string code)
    {
        var approver = await _sessions.AsAsync("gaj.approver");
        var before = await _rows.CountAsync();
        var files = _factory.StoredFiles();
        var content = bytes switch
        {
            "png" => Png,
            "html" => Encoding.UTF8.GetBytes("<html><body><script>fetch('/api/me')</script></body></html>"),
            "empty" => [],
            _ => Pdf,
        };

        var refused = await approver.PostAsync(Url($"/api/tasks/{_task}/attachments"), File(content, name, "application/pdf"));
        var problem = await refused.JsonAsync();

        Assert.That((refused.StatusCode, problem["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, code)), problem.ToJsonString());
        Assert.That(problem["errors"]!["file"]![0]!.GetValue<string>(), Does.Match(ProblemShape.Chinese()));
        Assert.That(RowCounter.Diff(before, await _rows.CountAsync()), Is.Empty);
        Assert.That(_factory.StoredFiles(), Is.EquivalentTo(files));
    }

    [Test]
    public async Task A_form_fields_accept_list_applies_and_an_unknown_field_is_refused()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var created = await applicant.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "account-platform" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["instanceId"]!.GetValue<Guid>();
        var docx = PdsWorkflow.Tests.Support.Packages.Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml");

        // stampedScan takes pdf, jpg, jpeg and png (definitions/forms/account-platform.json).
        var wrongKind = await applicant.PostAsync(Url($"/api/applications/{id}/attachments?field=stampedScan"), File(docx, "申请单.docx"));
        var unknown = await applicant.PostAsync(Url($"/api/applications/{id}/attachments?field=noSuchField"), File(Pdf, "申请单.pdf"));
        var scan = await applicant.PostAsync(Url($"/api/applications/{id}/attachments?field=stampedScan"), File(Png, "申请单.png", "application/octet-stream"));
        var anyField = await applicant.PostAsync(Url($"/api/applications/{id}/attachments"), File(docx, "补充材料.docx", "text/html"));

        Assert.That((wrongKind.StatusCode, (await wrongKind.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "file_type_not_allowed")));
        var unknownProblem = await unknown.JsonAsync();
        Assert.That((unknown.StatusCode, unknownProblem["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "file_field_unknown")));
        Assert.That(unknownProblem["errors"]!["field"], Is.Not.Null);
        Assert.That(scan.StatusCode, Is.EqualTo(HttpStatusCode.Created), await scan.Content.ReadAsStringAsync());
        Assert.That((await scan.JsonAsync())["contentType"]!.GetValue<string>(), Is.EqualTo("image/png"), "the type is the checked one, not the uploader's");
        Assert.That(anyField.StatusCode, Is.EqualTo(HttpStatusCode.Created), await anyField.Content.ReadAsStringAsync());
        Assert.That((await anyField.JsonAsync())["contentType"]!.GetValue<string>(), Is.EqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }

    [Test]
    public async Task A_download_carries_the_checked_type_nosniff_a_sandbox_and_is_inline_only_for_pdf_and_images()
    {
        var approver = await _sessions.AsAsync("gaj.approver");
        var pdf = await (await approver.PostAsync(Url($"/api/tasks/{_task}/attachments"), File(Pdf, "盖章件.pdf", "text/html"))).JsonAsync();
        var csv = await (await approver.PostAsync(Url($"/api/tasks/{_task}/attachments"), File("序号,姓名\r\n1,=1+1\r\n"u8.ToArray(), "名单.csv", "text/html"))).JsonAsync();

        var shownPdf = await approver.GetAsync(Url($"/api/applications/{_case}/attachments/{pdf["id"]!.GetValue<Guid>()}"));
        var savedCsv = await approver.GetAsync(Url($"/api/applications/{_case}/attachments/{csv["id"]!.GetValue<Guid>()}"));

        Assert.That(shownPdf.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/pdf"));
        Assert.That(shownPdf.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("inline"));
        Assert.That(savedCsv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(savedCsv.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
        Assert.That(savedCsv.Content.Headers.ContentDisposition.FileNameStar, Is.EqualTo("名单.csv"));
        foreach (var response in new[] { shownPdf, savedCsv })
        {
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("sandbox"));
        }

        Assert.That(await shownPdf.Content.ReadAsByteArrayAsync(), Is.EqualTo(Pdf));
    }

    private static MultipartFormDataContent File(byte[] content, string name, string? type = null)
    {
        var part = new ByteArrayContent(content);
        if (type is not null) part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { part, "file", name } };
    }
}
