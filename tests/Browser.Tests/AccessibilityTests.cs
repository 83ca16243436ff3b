using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) over the main pages as their users see them, loaded and still: the sign-in page,
/// 工作台, 待办, a task page, a new application, tracking, user administration and the audit search. No violation of serious
/// or critical impact is allowed (labels, contrast, names of buttons and links, landmarks, ARIA); a failure names the rule,
/// the elements and axe's help.
/// </summary>
public sealed class AccessibilityTests : BrowserTestBase
{
    [Test]
    public async Task The_sign_in_page_has_no_serious_accessibility_violation()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        await Expect(page.Locator("#userName")).ToBeVisibleAsync();

        await AssertAccessibleAsync(page, "登录");
    }

    [Test]
    public async Task The_approvers_workbench_inbox_and_task_page_have_no_serious_accessibility_violation()
    {
        // Every page is checked, and every violation found is reported together.
        using var all = Assert.EnterMultipleScope();
        var approver = await SignInAsync("gaj.approver");
        await Expect(approver.Locator(".ant-list-item").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(approver, "工作台");

        await approver.GotoAsync("/tasks/todo");
        await Expect(approver.Locator(".ant-table-row").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(approver, "待办");

        await approver.Locator(".ant-table-row a[href^='/tasks/']").First.ClickAsync();
        await Expect(approver.GetByTestId("approve")).ToBeVisibleAsync();
        await Expect(approver.GetByTestId("case-progress")).ToBeVisibleAsync();
        await AssertAccessibleAsync(approver, "办理");
    }

    [Test]
    public async Task The_clerks_new_application_and_tracking_pages_have_no_serious_accessibility_violation()
    {
        // Every page is checked, and every violation found is reported together.
        using var all = Assert.EnterMultipleScope();
        var clerk = await SignInAsync("yx-wjw.contact");
        await clerk.GotoAsync("/applications/new?definitionId=account-platform");
        await Expect(clerk.GetByTestId("form-title")).ToContainTextAsync("用户账号密码申请单");
        await AssertAccessibleAsync(clerk, "发起申请");

        // The form's messages are part of the page too: submitted empty, every required field says so.
        await clerk.GetByTestId("submit").ClickAsync();
        await Expect(clerk.Locator(".ant-form-item-explain-error").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(clerk, "发起申请（校验提示）");

        await clerk.GotoAsync("/applications");
        var tracked = clerk.Locator(".ant-table-row a[href^='/applications/']").First;
        await Expect(tracked).ToBeVisibleAsync();
        await tracked.ClickAsync();
        await Expect(clerk).ToHaveURLAsync(new Regex("/applications/[0-9a-f-]{36}$"));
        await Expect(clerk.GetByTestId("case-progress")).ToBeVisibleAsync();
        await AssertAccessibleAsync(clerk, "申请跟踪");
    }

    [Test]
    public async Task The_user_administration_and_audit_search_pages_have_no_serious_accessibility_violation()
    {
        // Every page is checked, and every violation found is reported together.
        using var all = Assert.EnterMultipleScope();
        var admin = await SignInAsync("bureau.admin");
        await admin.GotoAsync("/admin/users");
        await Expect(admin.Locator(".ant-table-row").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(admin, "用户管理", technical: true);

        var auditor = await SignInAsync("bureau.auditor");
        await auditor.GotoAsync("/audit");
        await Expect(auditor.Locator(".ant-table-row").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(auditor, "审计");
    }

    /// <summary>
    /// Runs axe over the page once nothing moves or loads, and fails on any serious or critical violation; then reads the
    /// page for English, ids and sign-in names (the accessible names axe checks are there, antd's "Select all" among them),
    /// unless the page manages sign-in names (<paramref name="technical"/>).
    /// </summary>
    private static async Task AssertAccessibleAsync(IPage page, string name, bool technical = false)
    {
        await SettledAsync(page);
        await Expect(page.Locator(".ant-spin-spinning")).ToHaveCountAsync(0);
        if (!technical) await AssertNothingTechnicalAsync(page, name);
        var result = await page.RunAxe(Checked);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(Describe).ToList();
        Assert.That(serious, Is.Empty, $"{name} ({page.Url}) has serious or critical accessibility violations");
    }

    /// <summary>
    /// The whole page but antd's table measuring row: a hidden row (aria-hidden, tabindex -1) antd adds to size scrolling
    /// tables, never reached by the keyboard; axe counts tabindex -1 as focusable.
    /// </summary>
    private static readonly AxeRunContext Checked = new() { Exclude = [new AxeSelector(".ant-table-measure-row")] };

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}{Environment.NewLine}" +
        string.Join(Environment.NewLine, violation.Nodes.Take(NodesShown).Select(node =>
            $"    {node.Target}: {Shorten(node.Html)}{Environment.NewLine}      {string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message))}"));

    private const int NodesShown = 50;

    private static string Shorten(string html) => html.Length <= 200 ? html : html[..200] + "…";
}
