using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// The cross-level conditional subscription (P5, 001 第十一条) through the web UI: a county department subscribes a city
/// department's conditional resource, the provider approves from the inbox; a return for correction and the
/// resubmission; and a user of another department who cannot open the task.
/// </summary>
public sealed class SubscriptionJourneyTests : BrowserTestBase
{
    /// <summary>The purpose written on the demo's seeded subscription (definitions/demo/applications.json, DEMO-SUB-001).</summary>
    private const string DemoPurpose = "办理出生医学证明时核验父母身份信息。";

    private static byte[] StampedScan() => "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray();

    private static ILocator FieldError(IPage page, string key) => page.Locator($".ant-form-item:has(#f_{key}) .ant-form-item-explain-error");

    [Test]
    public async Task A_county_department_subscribes_a_conditional_city_resource_and_the_provider_approves_it_from_the_inbox()
    {
        // The county health commission finds the public security bureau's resource in the catalog and subscribes.
        var applicant = await SignInAsync("yx-wjw.contact");
        await applicant.GetByRole(AriaRole.Link, new() { Name = "资源目录", Exact = true }).ClickAsync();
        await applicant.Locator("#catalog-search").FillAsync("居民身份证信息");
        await applicant.Locator("#catalog-search").PressAsync("Enter");
        await applicant.Locator(".ant-table-row a").Filter(new() { HasText = "居民身份证信息" }).First.ClickAsync();
        await Expect(applicant.GetByText("有条件共享").First).ToBeVisibleAsync();
        await applicant.GetByTestId("subscribe").ClickAsync();

        await Expect(applicant.GetByTestId("form-title")).ToContainTextAsync("库表、文件、文件夹申请表");
        await Expect(applicant.Locator("#f_resourceCode")).ToHaveValueAsync("10100101/0001");
        await Expect(applicant.Locator("#f_providerDepartment")).ToHaveTextAsync("平顶山市公安局");
        await Expect(applicant.Locator("#f_resourceName")).ToHaveTextAsync("居民身份证信息");
        await Expect(applicant.Locator("#f_userDepartmentName")).ToHaveTextAsync("叶县卫生健康委员会");
        await applicant.Locator("#f_requestedFields").FillAsync("公民身份证号码、姓名、出生日期");
        await applicant.Locator("#f_purpose").FillAsync("核验新生儿父母身份，办理出生医学证明（浏览器测试）。");
        await applicant.Locator("#f_legalBasis").FillAsync("《中华人民共和国母婴保健法》第二十三条");
        await applicant.Locator("#f_contactPhone").FillAsync("0375-12345");
        await applicant.Locator("#f_systemName").FillAsync("出生医学证明管理系统（CSYX）");
        await applicant.Locator("#f_extranetIps").FillAsync("59.207.88.11");
        await applicant.Locator("#f_deploymentLocation").FillAsync("叶县政务服务中心机房");
        // A file needs a case: the first upload asks to save the application as a draft, and says it did.
        await applicant.Locator(".ant-form-item:has(#f_stampedScan) input[type=file]")
            .SetInputFilesAsync(new FilePayload { Name = "库表申请表（盖章）.pdf", MimeType = "application/pdf", Buffer = StampedScan() });
        await Expect(applicant.Locator(".ant-modal-confirm")).ToContainTextAsync("保存为草稿");
        await ConfirmAsync(applicant);
        await Expect(applicant.GetByTestId("f_stampedScan_name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("库表申请表（盖章）.pdf"));
        await Expect(applicant.Locator(".ant-message")).ToContainTextAsync("草稿"); // the form's wrong phone keeps it from being saved yet

        // A wrong phone number is refused next to its field, before anything is sent; the page scrolls to it.
        await applicant.GetByTestId("submit").ClickAsync();
        await Expect(FieldError(applicant, "contactPhone")).ToContainTextAsync("使用单位联系人电话应为11位手机号码或带区号的固定电话");
        await Expect(applicant.Locator("#f_contactPhone")).ToBeInViewportAsync();
        await ScreenshotAsync(applicant, "21-application-form-field-error");
        await applicant.Locator("#f_contactPhone").FillAsync("0375-2345678-802");
        await Expect(FieldError(applicant, "contactPhone")).ToHaveCountAsync(0); // fixed: the message goes at once
        // The stamped scan opens in the page.
        await applicant.GetByTestId("f_stampedScan_name").ClickAsync();
        await Expect(applicant.GetByTestId("preview-pdf")).ToBeVisibleAsync();
        await CloseDialogAsync(applicant, applicant.Locator(".attachment-preview"), "关 闭");
        await applicant.GetByTestId("submit").ClickAsync();

        await Expect(applicant.GetByTestId("application-title")).ToBeVisibleAsync();
        var caseId = IdFromUrl(applicant, "/applications/");
        await Expect(applicant.GetByTestId("current-steps")).ToContainTextAsync("提供方审批");
        await Expect(applicant.GetByTestId("current-steps")).ToContainTextAsync("平顶山市公安局");
        await Expect(applicant.GetByTestId("case-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^订阅-\d{4}-\d{6}$"));
        var number = await applicant.GetByTestId("case-number").TextContentAsync();
        await Expect(applicant.GetByTestId("case-summary")).ToContainTextAsync("居民身份证信息");
        // The form, as descriptions, with what the platform filled from its records (the catalog entry, the applicant's unit).
        foreach (var (label, value) in new[] { ("资源提供部门", "平顶山市公安局"), ("申请资源名称", "居民身份证信息"), ("资源使用部门名称", "叶县卫生健康委员会") })
            await Expect(applicant.Locator(".form-descriptions tr").Filter(new() { HasText = label })).ToContainTextAsync(value);
        // The progress view: submitted, the provider's approval current with its unit, the platform's exchange ahead.
        await Expect(applicant.GetByTestId("case-progress")).ToContainTextAsync("提供方审批");
        await Expect(applicant.GetByTestId("case-progress").Locator("[data-state='current']")).ToContainTextAsync("提供方审批");
        await Expect(applicant.GetByTestId("case-progress").Locator("[data-state='done']")).ToContainTextAsync("提交订阅申请");
        await Expect(applicant.GetByTestId("next-steps")).ToContainTextAsync("平台交换");
        await Expect(applicant.GetByTestId("history")).Not.ToContainTextAsync("yx-wjw.contact");
        await Expect(applicant.Locator(".ant-menu-item-selected")).ToHaveTextAsync("我的申请"); // a case belongs under 我的申请
        await ScreenshotAsync(applicant, "30-application-tracking");

        // The provider's approver finds it in the inbox and approves it.
        var approver = await SignInAsync("gaj.approver");
        await approver.GetByRole(AriaRole.Link, new() { Name = "待办事项", Exact = true }).ClickAsync();
        // The inbox finds the case by its number, and its row says who applied for what.
        await approver.Locator("#todo-search").FillAsync(number!);
        await approver.Locator("#todo-search").PressAsync("Enter");
        var row = approver.Locator(".ant-table-row").Filter(new() { HasText = number! });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("叶县卫生健康委员会");
        await Expect(row).ToContainTextAsync("居民身份证信息");
        await ScreenshotAsync(approver, "11-todo-search");
        // It is found by the applicant unit's name and by the resource's name too, and by its due state; the list sorts by due date.
        foreach (var text in new[] { "叶县卫生健康委员会", "居民身份证信息" })
        {
            await approver.Locator("#todo-search").FillAsync(text);
            await approver.Locator("#todo-search").PressAsync("Enter");
            await Expect(approver).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("search="));
            await Expect(approver.Locator(".ant-table-row").Filter(new() { HasText = number! })).ToHaveCountAsync(1);
            await Expect(approver.Locator(".ant-table-row").Filter(new() { HasNotText = text })).ToHaveCountAsync(0);
        }

        await SelectAsync(approver, "todo-due", "已超期");
        await Expect(approver.Locator(".ant-table-row").Filter(new() { HasText = number! })).ToHaveCountAsync(0);
        await SelectAsync(approver, "todo-due", "正常");
        await Expect(approver.Locator(".ant-table-row").Filter(new() { HasText = number! })).ToHaveCountAsync(1);
        // Sorted by due date, soonest first, until the column is clicked; each click once the list has loaded.
        var due = approver.GetByRole(AriaRole.Columnheader, new() { Name = "办理时限" });
        await Expect(due).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(approver.Locator(".ant-spin-spinning")).ToHaveCountAsync(0);
        await due.ClickAsync();
        await Expect(due).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(approver).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=-dueAt"));
        await Expect(approver.Locator(".ant-spin-spinning")).ToHaveCountAsync(0);
        await due.ClickAsync();
        await Expect(due).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(approver).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=dueAt"));
        await Expect(approver.Locator(".ant-table-row").Filter(new() { HasText = number! })).ToHaveCountAsync(1);
        var taskId = await OpenTaskOfCaseAsync(approver, caseId);
        await Expect(approver.GetByTestId("task-title")).ToContainTextAsync("提供方审批");
        // The form is read, not edited: descriptions, no input boxes.
        await Expect(approver.Locator("#f_purpose")).ToHaveTextAsync("核验新生儿父母身份，办理出生医学证明（浏览器测试）。");
        await Expect(approver.Locator(".schema-form input, .schema-form textarea")).ToHaveCountAsync(0);
        await Expect(approver.GetByTestId("history")).ToContainTextAsync("提交");
        await Expect(approver.Locator(".ant-menu-item-selected")).ToContainTextAsync("待办事项");
        await ScreenshotAsync(approver, "12-task-page");
        // The action bar stays on screen while the form scrolls by.
        await approver.Mouse.WheelAsync(0, 3000);
        await Expect(approver.GetByTestId("task-actions")).ToBeInViewportAsync();
        await approver.GetByTestId("phrase").First.ClickAsync();
        await Expect(approver.Locator("#approve-comment")).Not.ToHaveValueAsync("");
        await ApproveAsync(approver, "同意共享，请按授权范围使用。");
        var task = await approver.APIRequest.GetAsync($"/api/tasks/{taskId}");
        Assert.That(JsonDocument.Parse(await task.TextAsync()).RootElement.GetProperty("task").GetProperty("outcome").GetString(), Is.EqualTo("Approve"));

        // The applicant sees the approval and the case at the platform's exchange step.
        await applicant.ReloadAsync();
        await Expect(applicant.GetByTestId("history")).ToContainTextAsync("同意共享，请按授权范围使用。");
        await Expect(applicant.GetByTestId("current-steps")).ToContainTextAsync("平台交换");
        await ScreenshotAsync(applicant, "31-application-approved");

        // The platform's support runs the exchange from its inbox: the demo's mounted 居民身份证信息 table (four residents)
        // is copied into the county's front-end database.
        var support = await SignInAsync("bureau.support");
        await support.GetByRole(AriaRole.Link, new() { Name = "待办事项", Exact = true }).ClickAsync();
        await OpenTaskOfCaseAsync(support, caseId);
        await Expect(support.GetByTestId("task-title")).ToContainTextAsync("平台交换");
        var claim = support.GetByTestId("task-actions").GetByRole(AriaRole.Button, new() { Name = "认 领" });
        if (await claim.IsVisibleAsync()) await claim.ClickAsync();
        await ApproveAsync(support, "已核对授权范围，执行库表交换。");

        // The applicant sees the case finished with the exchange done.
        for (var attempt = 0; attempt < 40 && !(await applicant.GetByTestId("application-status").TextContentAsync() ?? "").Contains("已办结", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            await applicant.ReloadAsync();
            await Expect(applicant.GetByTestId("application-title")).ToBeVisibleAsync();
        }

        await Expect(applicant.GetByTestId("application-status")).ToContainTextAsync("已办结");
        await Expect(applicant.GetByTestId("exchange-progress")).ToContainTextAsync("复制 4 行");
        // 100%: antd shows a finished bar as the success status (a tick instead of the percentage).
        await Expect(applicant.GetByTestId("exchange-progress").Locator(".ant-progress-status-success")).ToHaveCountAsync(1);
        var detail = JsonDocument.Parse(await (await applicant.APIRequest.GetAsync($"/api/applications/{caseId}")).TextAsync()).RootElement;
        var table = detail.GetProperty("exchange").EnumerateArray().Single(s => s.GetProperty("activityId").GetString() == "tableExchange");
        Assert.That(table.GetProperty("status").GetString(), Is.EqualTo("Done").IgnoreCase);
        await ScreenshotAsync(applicant, "32-application-exchanged");
    }

    [Test]
    public async Task The_provider_returns_a_subscription_for_correction_and_the_applicant_resubmits_it()
    {
        var approver = await SignInAsync("gaj.approver");
        var taskId = await DemoTaskAsync(approver);
        var caseId = await CaseOfTaskAsync(approver, taskId);
        await approver.GotoAsync($"/tasks/{taskId}");
        await approver.Locator("#approve-comment").FillAsync("请补充需求字段的具体用途说明。");
        await approver.GetByTestId("return").ClickAsync();
        // The earlier steps are a list of choices (no drop-down to miss); the reason is the opinion typed on the page.
        await approver.GetByTestId("return-targets").GetByText("申请人补正").ClickAsync();
        await Expect(approver.GetByTestId("return-preview")).ToContainTextAsync("退回申请人补正后");
        await Expect(approver.Locator("#dialog-reason")).ToHaveValueAsync("请补充需求字段的具体用途说明。");
        await ScreenshotAsync(approver, "13-return-preview", fullPage: false);
        await SettledAsync(approver);
        await approver.Locator("#dialog-ok").ClickAsync();
        await Expect(approver).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tasks/todo"));

        // The correction is in the applicant's inbox; the applicant edits the form and sends it again.
        var applicant = await SignInAsync("yx-wjw.contact");
        await applicant.GetByRole(AriaRole.Link, new() { Name = "待办事项", Exact = true }).ClickAsync();
        await OpenTaskOfCaseAsync(applicant, caseId);
        await Expect(applicant.GetByTestId("history")).ToContainTextAsync("请补充需求字段的具体用途说明。");
        await applicant.Locator("#f_requestedFields").FillAsync("姓名、性别、出生日期、公民身份证号码");
        await ApproveAsync(applicant, "已补充用途说明。");

        // Back with the provider, with the corrected form.
        var again = await DemoTaskAsync(approver);
        Assert.That(again, Is.Not.EqualTo(taskId), "a new provider approval task after the resubmission");
        await approver.GotoAsync($"/tasks/{again}");
        await Expect(approver.Locator("#f_requestedFields")).ToHaveTextAsync("姓名、性别、出生日期、公民身份证号码");
    }

    [Test]
    public async Task A_user_of_another_department_cannot_open_the_task()
    {
        var approver = await SignInAsync("gaj.approver");
        var taskId = await DemoTaskAsync(approver);

        var outsider = await SignInAsync("rsj.approver");
        await outsider.GotoAsync($"/tasks/{taskId}");
        await Expect(outsider.GetByTestId("no-access")).ToContainTextAsync("无权访问");
        await ScreenshotAsync(outsider, "14-task-no-access");

        var api = await outsider.APIRequest.GetAsync($"/api/tasks/{taskId}");
        Assert.That(api.Status, Is.EqualTo(404));
        Assert.That(JsonDocument.Parse(await api.TextAsync()).RootElement.GetProperty("code").GetString(), Is.EqualTo("task_not_found"));
        var own = await approver.APIRequest.GetAsync($"/api/tasks/{taskId}");
        Assert.That(own.Status, Is.EqualTo(200));
    }

    /// <summary>Clicks the inbox row of the case's open task and returns the task id.</summary>
    private static async Task<Guid> OpenTaskOfCaseAsync(IPage page, Guid caseId)
    {
        var todo = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/tasks/todo?pageSize=200")).TextAsync()).RootElement;
        var task = todo.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("instanceId").GetGuid() == caseId);
        var id = task.GetProperty("id").GetGuid();
        await page.Locator($"a[href='/tasks/{id}']").First.ClickAsync();
        return id;
    }

    private static async Task<Guid> CaseOfTaskAsync(IPage page, Guid taskId) =>
        JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/tasks/{taskId}")).TextAsync()).RootElement.GetProperty("task").GetProperty("instanceId").GetGuid();

    /// <summary>The open provider-approval task of the demo's seeded subscription, as the signed-in approver sees it.</summary>
    private static async Task<Guid> DemoTaskAsync(IPage page)
    {
        var todo = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/tasks/todo?pageSize=200")).TextAsync()).RootElement;
        foreach (var task in todo.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("definitionId").GetString() == "subscription"))
        {
            var id = task.GetProperty("id").GetGuid();
            var detail = JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/tasks/{id}")).TextAsync()).RootElement;
            if (detail.GetProperty("form").TryGetProperty("purpose", out var purpose) && purpose.GetString() == DemoPurpose) return id;
        }

        Assert.Fail("the demo subscription has no open task in this inbox");
        return Guid.Empty;
    }
}
