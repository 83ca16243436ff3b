using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// Issue 14 through the browser: the second factor enrolled with a QR code and then asked at sign-in; a password reset by
/// the system administrator forcing the change page; the security administrator unlocking an account; the auditor searching
/// and exporting the security log.
/// </summary>
public sealed class SecurityTests : BrowserTestBase
{
    [Test]
    public async Task A_security_admin_enrols_a_second_factor_by_qr_code_signs_in_with_a_code_and_unlocks_a_locked_account()
    {
        // Five wrong passwords lock gaj.cataloger (the page says no more than for any failure).
        var guesser = await NewPageAsync();
        await guesser.GotoAsync("/login");
        for (var i = 0; i < 5; i++)
        {
            await guesser.Locator("#userName").FillAsync("gaj.cataloger");
            await guesser.Locator("#password").FillAsync($"Wrong#guess{i}2026");
            await guesser.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();
            await Expect(guesser.GetByTestId("login-error")).ToBeVisibleAsync();
        }

        var first = await NewPageAsync();
        await first.GotoAsync("/login");
        await first.Locator("#userName").FillAsync("bureau.security");
        await first.Locator("#password").FillAsync(DemoPassword);
        await first.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();
        await Expect(first.GetByTestId("second-factor-page")).ToContainTextAsync("您的角色要求使用动态口令登录");
        await first.GetByTestId("second-factor-begin").ClickAsync();
        await Expect(first.GetByTestId("second-factor-qr")).ToBeVisibleAsync();
        // Technical on purpose: the secret to type into an authenticator is this page's content.
        await ScreenshotAsync(first, "security-10-enrol-qr", technical: true);
        var authenticator = await EnrolAfterQrAsync(first);

        var security = await NewPageAsync();
        await security.GotoAsync("/login");
        await security.Locator("#userName").FillAsync("bureau.security");
        await security.Locator("#password").FillAsync(DemoPassword);
        await security.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();
        await Expect(security.Locator("#code")).ToBeVisibleAsync();
        // Technical on purpose: the sign-in name the user typed, asked for its code.
        await ScreenshotAsync(security, "security-11-code-step", technical: true);
        await security.Locator("#code").FillAsync("000000");
        await security.GetByRole(AriaRole.Button, new() { Name = "验 证" }).ClickAsync();
        await Expect(security.GetByTestId("login-error")).ToContainTextAsync("动态口令错误");
        await security.Locator("#userName").FillAsync("bureau.security");
        await security.Locator("#password").FillAsync(DemoPassword);
        await security.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();
        await security.Locator("#code").FillAsync(await authenticator.NextCodeAsync());
        await security.GetByRole(AriaRole.Button, new() { Name = "验 证" }).ClickAsync();
        await Expect(security.GetByTestId("current-user")).ToBeVisibleAsync();

        await security.GetByRole(AriaRole.Link, new() { Name = "安全管理" }).ClickAsync();
        await security.Locator("#security-search").FillAsync("gaj.cataloger");
        await security.Locator("#security-search").PressAsync("Enter");
        var row = security.Locator(".ant-table-row").Filter(new() { HasText = "gaj.cataloger" });
        await Expect(row.GetByTestId("locked-gaj.cataloger")).ToBeVisibleAsync();
        // Technical on purpose: the security administrator manages accounts by their sign-in names.
        await ScreenshotAsync(security, "security-20-locked-user", technical: true);
        await row.GetByRole(AriaRole.Button, new() { Name = "解 锁" }).ClickAsync();
        await Expect(row).ToContainTextAsync("正常");
        var cataloger = await SignInAsync("gaj.cataloger");
        await Expect(cataloger.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
    }

    private static async Task<Authenticator> EnrolAfterQrAsync(IPage page)
    {
        var authenticator = new Authenticator((await page.GetByTestId("second-factor-secret").InnerTextAsync()).Trim());
        await page.Locator("#second-factor-code").FillAsync(await authenticator.NextCodeAsync());
        await page.GetByTestId("second-factor-confirm").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        return authenticator;
    }

    [Test]
    public async Task A_password_reset_by_the_system_administrator_forces_the_change_page_at_the_next_sign_in()
    {
        var admin = await SignInAsync("bureau.admin");
        await admin.GotoAsync("/admin/users");
        await admin.GetByPlaceholder("用户名或姓名").FillAsync("rsj.cataloger");
        await admin.GetByPlaceholder("用户名或姓名").PressAsync("Enter");
        var row = admin.Locator(".ant-table-row").Filter(new() { HasText = "rsj.cataloger" });
        await row.GetByRole(AriaRole.Button, new() { Name = "编 辑" }).ClickAsync();
        var reset = admin.GetByLabel("重置密码（留空不改）");
        await Expect(reset).ToBeVisibleAsync();
        await reset.FillAsync("Reset#ByAdmin2026");
        await admin.GetByRole(AriaRole.Button, new() { Name = "保 存" }).ClickAsync();
        await Expect(admin.GetByText("已保存")).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("待改密码");

        var user = await SignInAsync("rsj.cataloger", "Reset#ByAdmin2026");
        await Expect(user.GetByTestId("password-reason")).ToContainTextAsync("请先修改密码");
        Assert.That((await user.APIRequest.GetAsync("/api/tasks/counts")).Status, Is.EqualTo(403), "nothing else until it is changed");
        await ScreenshotAsync(user, "security-30-forced-password-change");
        await user.Locator("#currentPassword").FillAsync("Reset#ByAdmin2026");
        await user.Locator("#newPassword").FillAsync("password1234");
        await user.Locator("#confirmPassword").FillAsync("password1234");
        await user.GetByTestId("password-save").ClickAsync();
        await Expect(user.Locator(".ant-form-item-explain-error")).ToContainTextAsync("至少三类");
        await user.Locator("#newPassword").FillAsync("Ruhe#Canal2027x");
        await user.Locator("#confirmPassword").FillAsync("Ruhe#Canal2027x");
        await user.GetByTestId("password-save").ClickAsync();
        await Expect(user.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        Assert.That((await user.APIRequest.GetAsync("/api/tasks/counts")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task The_auditor_searches_the_security_log_and_exports_it()
    {
        var stranger = await NewPageAsync();
        await stranger.GotoAsync("/login");
        await stranger.Locator("#userName").FillAsync("no.such.user");
        await stranger.Locator("#password").FillAsync("Guess#2026abc");
        await stranger.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();
        await Expect(stranger.GetByTestId("login-error")).ToBeVisibleAsync();

        var auditor = await SignInAsync("bureau.auditor");
        await auditor.GetByTestId("menu-security-log").ClickAsync();
        await Expect(auditor.GetByTestId("security-log")).ToBeVisibleAsync();
        await SelectAsync(auditor, "log-kind", "登录");
        await SelectAsync(auditor, "log-result", "失败");
        await auditor.GetByTestId("log-search").ClickAsync();
        await Expect(auditor).ToHaveURLAsync(new Regex("kind=sign_in"));
        var row = auditor.Locator(".ant-table-row").Filter(new() { HasText = "no.such.user" });
        await Expect(row).ToContainTextAsync("unknown_user");
        await Expect(row).ToContainTextAsync("127.0.0.1");
        // Technical on purpose: the security log records accounts by their sign-in names.
        await ScreenshotAsync(auditor, "security-40-security-log", technical: true);

        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("log-export-csv").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.StartWith("安全审计日志_").And.EndWith(".csv"));
        var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.That(text, Does.Contain("序号,时间,事件,结果,操作人,来源地址,对象,说明").And.Contain("no.such.user"));
        Assert.That(text, Does.Not.Contain("bureau.auditor,127.0.0.1,user:bureau.auditor"), "filtered to failed sign-ins");
    }
}
