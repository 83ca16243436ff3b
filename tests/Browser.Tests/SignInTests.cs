using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>Signing in and out through the sign-in page, and the main pages a signed-in user opens (with screenshots).</summary>
public sealed class SignInTests : BrowserTestBase
{
    [Test]
    public async Task A_wrong_password_is_refused_with_a_message_and_no_session()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/tasks/todo");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?next="));
        await page.Locator("#userName").FillAsync("gaj.approver");
        await page.Locator("#password").FillAsync("wrong-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();

        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("用户名、密码或动态口令错误");
        await ScreenshotAsync(page, "01-login-refused");
        var me = await page.APIRequest.GetAsync("/api/me");
        Assert.That(me.Status, Is.EqualTo(401));
    }

    [Test]
    public async Task A_demo_user_signs_in_to_the_workbench_and_back_out()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#userName")).ToBeVisibleAsync();
        // The card sits in the middle of the window and the background fills it (it was glued to the top, the background
        // stopping part-way).
        var card = (await page.Locator(".login-card").BoundingBoxAsync())!;
        var background = (await page.Locator(".login-page").BoundingBoxAsync())!;
        Assert.That(card.Y, Is.GreaterThan(100), "the sign-in card is not glued to the top");
        Assert.That(Math.Abs(card.Y + card.Height / 2 - 450), Is.LessThan(60), "the sign-in card is centred in the 900 px window");
        Assert.That(background.Height, Is.GreaterThanOrEqualTo(900), "the background fills the window");
        await ScreenshotAsync(page, "00-login");
        await page.Locator("#userName").FillAsync("gaj.approver");
        await page.Locator("#password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();

        await Expect(page.GetByTestId("current-unit")).ToHaveTextAsync("平顶山市公安局");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        // The demo seed leaves a county health commission's conditional subscription with this approver.
        await Expect(page.Locator(".ant-list-item").Filter(new() { HasText = "提供方审批" }).First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "02-workbench");

        await page.GetByTestId("current-user").HoverAsync();
        await page.GetByText("退出登录").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        Assert.That((await page.APIRequest.GetAsync("/api/me")).Status, Is.EqualTo(401));
    }

    [Test]
    public async Task The_main_pages_open_for_a_platform_administrator()
    {
        var page = await SignInAsync("bureau.admin");

        await page.GotoAsync("/catalog");
        await Expect(page.Locator(".ant-table-row").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "10-catalog");
        await page.Locator(".ant-table-row a").First.ClickAsync();
        await Expect(page.GetByTestId("entry-name")).ToBeVisibleAsync();
        await Expect(page.GetByText("信息项").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "11-catalog-entry");

        await page.GotoAsync("/statistics");
        await Expect(page.GetByText("期间新增授权")).ToBeVisibleAsync();
        await Expect(page.Locator(".ant-table").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "40-statistics");

        await page.GotoAsync("/admin/users");
        await page.GetByPlaceholder("用户名或姓名").FillAsync("gaj.");
        await page.GetByPlaceholder("用户名或姓名").PressAsync("Enter");
        await Expect(page.Locator(".ant-table-row").Filter(new() { HasText = "gaj.approver" })).ToBeVisibleAsync();
        // The side menu runs the window's height and highlights the page's own entry.
        await Expect(page.Locator(".ant-menu-item-selected")).ToHaveTextAsync("用户管理");
        Assert.That((await page.Locator(".ant-layout-sider").First.BoundingBoxAsync())!.Height, Is.GreaterThanOrEqualTo(900 - 64), "the menu ends mid-screen");
        // The create dialog's password message does not follow into the edit dialog.
        await page.GetByRole(AriaRole.Button, new() { Name = "新增用户" }).ClickAsync();
        var dialog = page.Locator(".ant-modal:visible");
        await Expect(dialog.Locator(".ant-modal-title")).ToHaveTextAsync("新增用户");
        await SettledAsync(page);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "保 存" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("请填写初始密码");
        await CloseDialogAsync(page, dialog, "取 消");
        await page.Locator(".ant-table-row").Filter(new() { HasText = "gaj.approver" }).GetByRole(AriaRole.Button, new() { Name = "编 辑" }).ClickAsync();
        await Expect(dialog.Locator(".ant-modal-title")).ToHaveTextAsync("编辑用户");
        await Expect(dialog.Locator(".ant-form-item-explain-error")).ToHaveCountAsync(0);
        await CloseDialogAsync(page, dialog, "取 消");

        // The administrator manages sign-in names: they are this page's data.
        await ScreenshotAsync(page, "50-admin-users", technical: true);

        await page.GotoAsync("/applications/new");
        await Expect(page.Locator(".ant-card-head-title").Filter(new() { HasText = "发起申请" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "20-new-application");
    }
}
