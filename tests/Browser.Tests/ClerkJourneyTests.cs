using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// No lost work and no false silence (issue #18): a draft is made only when the clerk saves or uploads and is told so,
/// shows as 草稿 and can be deleted; leaving a form with unsaved input asks first; an expired session keeps the typed
/// opinion through the sign-in; a list that fails to load says so and retries.
/// </summary>
public sealed class ClerkJourneyTests : BrowserTestBase
{
    private static ILocator FieldError(IPage page, string key) => page.Locator($".ant-form-item:has(#f_{key}) .ant-form-item-explain-error");

    [Test]
    public async Task A_clerk_saves_a_draft_sees_it_as_a_draft_and_deletes_it()
    {
        var clerk = await SignInAsync("mzj.contact");
        await clerk.GotoAsync("/applications/new?definitionId=account-platform");
        await Expect(clerk.GetByTestId("form-title")).ToContainTextAsync("用户账号密码申请单");

        // A required field left empty is named; filled, its message goes at once.
        await clerk.GetByTestId("submit").ClickAsync();
        await Expect(FieldError(clerk, "reason")).ToContainTextAsync("为必填项");
        await clerk.Locator("#f_reason").FillAsync("新入职数据共享责任人办理数据共享业务。");
        await Expect(FieldError(clerk, "reason")).ToHaveCountAsync(0);

        // Leaving with unsaved input asks first; staying keeps it.
        await clerk.GetByRole(AriaRole.Link, new() { Name = "我的申请", Exact = true }).ClickAsync();
        await Expect(clerk.Locator(".ant-modal-confirm")).ToContainTextAsync("离开此页");
        await ScreenshotAsync(clerk, "22-unsaved-warning", fullPage: false);
        await clerk.Locator(".ant-modal-confirm .ant-modal-confirm-btns .ant-btn").Filter(new() { HasText = "留在此页" }).ClickAsync();
        await Expect(clerk.Locator("#f_reason")).ToHaveValueAsync("新入职数据共享责任人办理数据共享业务。");
        await Expect(clerk).ToHaveURLAsync(new Regex("/applications/new"));

        // Nothing exists until the clerk saves; then it is a draft, and says so.
        Assert.That((await ApiAsync(clerk, "/api/applications/mine")).GetProperty("total").GetInt32(), Is.EqualTo(2), "the demo's two applications only");
        await clerk.GetByTestId("save-draft").ClickAsync();
        await Expect(clerk.Locator(".ant-message")).ToContainTextAsync("已保存为草稿");
        await Expect(clerk).ToHaveURLAsync(new Regex("/applications/[0-9a-f-]{36}$"));
        var draftId = IdFromUrl(clerk, "/applications/");
        await Expect(clerk.Locator("#f_reason")).ToHaveValueAsync("新入职数据共享责任人办理数据共享业务。");

        await clerk.GetByRole(AriaRole.Link, new() { Name = "我的申请", Exact = true }).ClickAsync();
        var row = clerk.Locator(".ant-table-row").Filter(new() { Has = clerk.Locator($"a[href='/applications/{draftId}']") });
        await Expect(row.GetByTestId("application-row-status")).ToHaveTextAsync("草稿");
        await Expect(row).ToContainTextAsync("未提交");
        await ScreenshotAsync(clerk, "23-my-applications-draft");
        await clerk.GotoAsync("/tasks/todo");
        await Expect(clerk.Locator(".ant-table-row").Filter(new() { Has = clerk.Locator($"a[href='/applications/{draftId}']") })).ToContainTextAsync("草稿");

        await clerk.GotoAsync("/applications");
        await row.GetByTestId("discard-draft").ClickAsync();
        await ConfirmAsync(clerk);
        await Expect(clerk.Locator(".ant-message")).ToContainTextAsync("草稿已删除");
        await Expect(clerk.Locator($"a[href='/applications/{draftId}']")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task An_expired_session_keeps_the_typed_opinion_through_the_sign_in()
    {
        var approver = await SignInAsync("gaj.approver");
        var todo = await ApiAsync(approver, "/api/tasks/todo?pageSize=200");
        var taskId = todo.GetProperty("items").EnumerateArray().First(t => t.GetProperty("definitionId").GetString() == "subscription").GetProperty("id").GetGuid();
        await approver.GotoAsync($"/tasks/{taskId}");
        await approver.Locator("#approve-comment").FillAsync("经核实，申请用途明确，同意共享。");

        // The session ends under the page (here: its cookie is gone); the next action finds out.
        await approver.Context.ClearCookiesAsync();
        await approver.GetByTestId("approve").ClickAsync();
        await ConfirmAsync(approver);
        await Expect(approver).ToHaveURLAsync(new Regex("/login\\?next="));
        await Expect(approver.Locator(".ant-message")).ToContainTextAsync("登录已过期");
        await ScreenshotAsync(approver, "24-session-expired", fullPage: false);
        await FillSignInAsync(approver, "gaj.approver");

        await Expect(approver).ToHaveURLAsync(new Regex($"/tasks/{taskId}"));
        await Expect(approver.Locator("#approve-comment")).ToHaveValueAsync("经核实，申请用途明确，同意共享。");
        await Expect(approver.Locator(".ant-message")).ToContainTextAsync("已恢复");
        Assert.That((await ApiAsync(approver, $"/api/tasks/{taskId}")).GetProperty("task").GetProperty("status").GetString(), Is.EqualTo("Open"),
            "nothing was decided while signed out");
    }

    [Test]
    public async Task A_list_that_fails_to_load_says_so_and_loads_on_retry()
    {
        var approver = await SignInAsync("gaj.approver");
        await approver.RouteAsync("**/api/tasks/todo**", route => route.FulfillAsync(new() { Status = 502, Body = "Bad Gateway" }));
        await approver.GotoAsync("/tasks/todo");
        await Expect(approver.GetByTestId("list-error")).ToContainTextAsync("服务器暂时无法处理请求");
        await Expect(approver.GetByText("暂无待办事项")).ToHaveCountAsync(0);
        await Expect(approver.GetByText("服务器暂时无法处理请求", new() { Exact = false })).ToHaveCountAsync(1); // one message, not repeated
        await ScreenshotAsync(approver, "25-list-error");

        await approver.UnrouteAsync("**/api/tasks/todo**");
        await approver.GetByTestId("retry").ClickAsync();
        await Expect(approver.Locator(".ant-table-row").First).ToBeVisibleAsync();
        await Expect(approver.GetByTestId("list-error")).ToHaveCountAsync(0);
    }
}
