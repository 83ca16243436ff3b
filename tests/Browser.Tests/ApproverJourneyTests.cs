using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// Approvers at work (issue #18): a 催办 reaches the provider's bell and leads to the task, which is transferred with the
/// people picker (only the task's unit on offer, people by name); the bureau issues a platform account; the county data
/// authority reviews a county department's interface request; an approver works the inbox on a phone; pages of roles a
/// user does not hold answer 无权访问 in place.
/// </summary>
public sealed class ApproverJourneyTests : BrowserTestBase
{
    [Test]
    public async Task An_urged_provider_follows_the_notification_and_transfers_the_task_with_the_picker()
    {
        // The county health commission urges its subscription waiting at the public security bureau (DEMO-SUB-001).
        var applicant = await SignInAsync("yx-wjw.contact");
        await applicant.GetByRole(AriaRole.Link, new() { Name = "我的申请", Exact = true }).ClickAsync();
        // The resource's name comes from the catalog entry the form names (issue 13: platform fields).
        var row = applicant.Locator(".ant-table-row").Filter(new() { HasText = "居民身份证信息" });
        await Expect(row).ToContainTextAsync("冯子刚"); // who holds the step, by name
        await Expect(row).ToContainTextAsync(new Regex(@"订阅-\d{4}-\d{6}"));
        await ScreenshotAsync(applicant, "33-my-applications");
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await applicant.GetByTestId("urge").ClickAsync();
        await Expect(applicant.Locator(".ant-message")).ToContainTextAsync("已催办");

        // The approver's bell counts it (the outbox delivers within seconds; the bell looks again when the page gets focus).
        var approver = await SignInAsync("gaj.approver");
        var bell = approver.GetByTestId("notification-bell");
        for (var attempt = 0; attempt < 40 && !await UrgedAsync(approver); attempt++) await Task.Delay(500);
        await approver.ReloadAsync();
        await Expect(approver.Locator(".ant-badge-count")).ToBeVisibleAsync();
        await bell.ClickAsync();
        var notice = approver.GetByTestId("notification-item").Filter(new() { HasText = "催办" }).First;
        await Expect(notice).ToContainTextAsync("提供方审批");
        await ScreenshotAsync(approver, "15-notifications", fullPage: false);
        await notice.ClickAsync();
        await Expect(approver).ToHaveURLAsync(new Regex("/tasks/[0-9a-f-]{36}$"));
        var taskId = IdFromUrl(approver, "/tasks/");
        await Expect(approver.GetByTestId("task-title")).ToContainTextAsync("提供方审批");

        // No 释放 for a task assigned to its holder alone (the server would refuse it).
        await approver.GetByTestId("more").ClickAsync();
        await Expect(approver.Locator(".ant-dropdown:visible .ant-dropdown-menu-item").Filter(new() { HasText = "转办" })).ToBeVisibleAsync();
        await Expect(approver.Locator(".ant-dropdown:visible .ant-dropdown-menu-item").Filter(new() { HasText = "释放" })).ToHaveCountAsync(0);
        await approver.Keyboard.PressAsync("Escape");
        await Expect(approver.Locator(".ant-dropdown:visible")).ToHaveCountAsync(0);

        // 委派, 加签 and 抄送 pick people the same way: by name, never a typed sign-in name.
        foreach (var action in new[] { "委派", "加签", "抄送" })
        {
            await MoreAsync(approver, action);
            var dialog = approver.Locator(".ant-modal").Filter(new() { Has = approver.GetByTestId("picker-list") });
            await Expect(dialog.Locator(".ant-modal-title")).ToHaveTextAsync(action);
            await Expect(dialog.GetByTestId("picker-person").First).ToBeVisibleAsync();
            if (action == "抄送") await ScreenshotAsync(approver, "17-cc-picker", fullPage: false);
            else await AssertNothingTechnicalAsync(approver, action);
            await CloseDialogAsync(approver, dialog, "取 消");
        }

        // 转办: the picker offers the people of 市公安局 by name, title and role, and nobody of another unit.
        await MoreAsync(approver, "转办");
        await Expect(approver.GetByTestId("picker-list")).ToContainTextAsync("白超");
        await Expect(approver.GetByTestId("picker-list")).Not.ToContainTextAsync("冯子刚"); // not the holder himself
        await approver.Locator("#picker-search").FillAsync("人力资源");
        await approver.Locator("#picker-search").PressAsync("Enter");
        await Expect(approver.GetByTestId("picker-list")).ToContainTextAsync("没有符合条件的人员");
        await PickPersonAsync(approver, "数据共享责任人", "白超");
        await approver.Locator("#dialog-comment").FillAsync("请核实需求字段后办理。");
        await ScreenshotAsync(approver, "16-transfer-picker", fullPage: false);
        await SettledAsync(approver);
        await approver.Locator("#dialog-ok").ClickAsync();
        await Expect(approver).ToHaveURLAsync(new Regex("/tasks/todo"));
        Assert.That((await ApiAsync(approver, $"/api/tasks/{taskId}")).GetProperty("task").GetProperty("assigneeId").GetString(), Is.EqualTo("gaj.contact"));

        var colleague = await SignInAsync("gaj.contact");
        await colleague.GotoAsync("/tasks/todo");
        await Expect(colleague.Locator($"a[href='/tasks/{taskId}']")).ToBeVisibleAsync();
        await colleague.GotoAsync($"/tasks/{taskId}");
        await Expect(colleague.GetByTestId("history")).ToContainTextAsync("转办");
        await Expect(colleague.GetByTestId("history")).ToContainTextAsync("冯子刚");
    }

    [Test]
    public async Task The_bureau_issues_a_platform_account_and_the_applicant_sees_it_done()
    {
        // 市民政局 applied for a platform account (DEMO-ACC-001); the bureau's platform administrator issues it.
        var admin = await SignInAsync("bureau.admin");
        await admin.GotoAsync("/tasks/todo");
        await SelectAsync(admin, "todo-process", "平台账号申请及重置");
        var row = admin.Locator(".ant-table-row").Filter(new() { HasText = "平顶山市民政局" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(new Regex(@"账号-\d{4}-\d{6}"));
        await Expect(row).ToContainTextAsync("账号申请");
        await ScreenshotAsync(admin, "41-bureau-todo");
        await row.GetByTestId("task-link").ClickAsync();
        await Expect(admin.GetByTestId("task-title")).ToContainTextAsync("平台管理员办理");
        await Expect(admin.GetByTestId("next-steps")).ToContainTextAsync("开通或重置账号");
        var caseId = Guid.Parse((await ApiAsync(admin, $"/api/tasks/{IdFromUrl(admin, "/tasks/")}")).GetProperty("task").GetProperty("instanceId").GetString()!);
        // The form's contact differs from the unit's recorded contacts: the administrator confirms having checked by phone.
        await Expect(admin.GetByTestId("record-contact")).ToHaveAttributeAsync("data-differs", "true");
        await SelectAsync(admin, "f_contactCheck", "已向登记的联系人核实");
        await ScreenshotAsync(admin, "42-bureau-issue");
        await ApproveAsync(admin, "材料齐全，同意开通。");

        var applicant = await SignInAsync("mzj.contact");
        await applicant.GotoAsync($"/applications/{caseId}");
        for (var attempt = 0; attempt < 40 && !(await applicant.GetByTestId("application-status").TextContentAsync() ?? "").Contains("已办结", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            await applicant.ReloadAsync();
            await Expect(applicant.GetByTestId("application-title")).ToBeVisibleAsync();
        }

        await Expect(applicant.GetByTestId("application-status")).ToContainTextAsync("已办结");
        await Expect(applicant.GetByTestId("case-progress").Locator("[data-state='done']").Filter(new() { HasText = "开通或重置账号" })).ToHaveCountAsync(1);
        await Expect(applicant.GetByTestId("exchange-progress")).Not.ToContainTextAsync("Pds.");
        await Expect(applicant.GetByTestId("exchange-progress")).Not.ToHaveTextAsync(new Regex("[0-9a-f]{64}")); // the letter's digest is the auditor's
        // The steps' words name the new account by its sign-in name: the applicant's own data.
        await ScreenshotAsync(applicant, "43-account-issued", technicalPart: "[data-testid=exchange-progress] .ant-steps-item-description");
    }

    [Test]
    public async Task The_county_data_authority_reviews_a_county_departments_interface_request()
    {
        // 叶县人社局 asked for an interface through its county data authority (DEMO-API-002).
        var county = await SignInAsync("yx-sjj.admin");
        await county.GotoAsync("/tasks/todo");
        var row = county.Locator(".ant-table-row").Filter(new() { HasText = "居民身份信息核验接口" });
        await Expect(row).ToContainTextAsync("叶县人力资源和社会保障局");
        await row.GetByTestId("task-link").ClickAsync();
        await Expect(county.GetByTestId("task-title")).ToContainTextAsync("县区数据主管部门审核");
        // The fields this step may change are inputs; the rest of the form is read, the county authority from the records.
        await Expect(county.Locator("button#f_departmentFormScan")).ToBeVisibleAsync();
        await Expect(county.Locator("#f_countyAuthority")).ToHaveTextAsync("叶县政务服务和大数据管理局");
        await Expect(county.Locator("#f_purpose")).ToHaveTextAsync(new Regex("婚姻登记"));
        await Expect(county.GetByTestId("case-progress").Locator("[data-state='current']")).ToContainTextAsync("县区数据主管部门审核");
        await Expect(county.GetByTestId("next-steps")).ToContainTextAsync("平台受理");
        await ScreenshotAsync(county, "44-county-review");
        await ApproveAsync(county, "经审核，材料齐全，同意报市平台受理。");

        // Pages of roles the county admin does not hold answer 无权访问 in place, without their toolbars.
        foreach (var path in new[] { "/designer", "/designer/objection", "/admin/users", "/admin/units", "/statistics" })
        {
            await county.GotoAsync(path);
            await Expect(county.GetByTestId("no-access")).ToContainTextAsync("无权访问");
            await Expect(county.Locator(".ant-table, .react-flow")).ToHaveCountAsync(0);
        }

        await ScreenshotAsync(county, "45-no-access");
    }

    [Test]
    public async Task An_approver_works_the_inbox_on_a_phone()
    {
        // The platform's support runs 平台交换 of DEMO-SUB-002 on a 390×844 screen.
        var support = await SignInAsync("bureau.support", phone: true);
        await support.GetByTestId("menu-button").ClickAsync();
        await support.GetByRole(AriaRole.Link, new() { Name = "待办事项", Exact = true }).ClickAsync();
        var card = support.GetByTestId("list-card").Filter(new() { HasText = "营业执照" });
        await Expect(card).ToContainTextAsync("平台交换");
        await Expect(card).ToContainTextAsync("平顶山市人力资源和社会保障局");
        await ScreenshotAsync(support, "60-phone-todo", fullPage: false);
        await card.GetByTestId("task-link").ClickAsync();
        await Expect(support.GetByTestId("task-title")).ToContainTextAsync("平台交换");
        var caseId = Guid.Parse((await ApiAsync(support, $"/api/tasks/{IdFromUrl(support, "/tasks/")}")).GetProperty("task").GetProperty("instanceId").GetString()!);
        await Expect(support.Locator("#f_purpose")).ToBeVisibleAsync();
        await Expect(support.Locator(".form-descriptions").First).ToBeVisibleAsync();
        // The action bar stays at the bottom of the screen.
        var bar = support.GetByTestId("task-actions");
        await Expect(bar).ToBeInViewportAsync();
        await support.Mouse.WheelAsync(0, 3000);
        await Expect(bar).ToBeInViewportAsync();
        var claim = bar.GetByRole(AriaRole.Button, new() { Name = "认 领" });
        if (await claim.IsVisibleAsync()) await claim.ClickAsync();
        await ScreenshotAsync(support, "61-phone-task", fullPage: false);
        await ApproveAsync(support, "已核对，执行交换。");

        var applicant = await SignInAsync("rsj.contact", phone: true);
        await applicant.GotoAsync($"/applications/{caseId}");
        await Expect(applicant.GetByTestId("case-progress")).ToBeVisibleAsync();
        await Expect(applicant.GetByTestId("case-progress").Locator("[data-state='done']").Filter(new() { HasText = "平台交换" })).ToHaveCountAsync(1);
        await ScreenshotAsync(applicant, "62-phone-tracking", fullPage: false);
    }

    private static async Task<bool> UrgedAsync(IPage page) =>
        (await ApiAsync(page, "/api/notifications?unread=true")).GetProperty("items").EnumerateArray()
            .Any(n => n.GetProperty("type").GetString() == "notify.task-urged");
}
