using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// The web UI under the Host's Content-Security-Policy (docs/security.md): the pages render, and Chromium reports no
/// violation, on the sign-in page, the workbench, the lists, the statistics, the audit search and the flow designer.
/// </summary>
public sealed class ContentSecurityPolicyTests : BrowserTestBase
{
    [Test]
    public async Task The_pages_render_under_the_policy_without_a_violation()
    {
        var violations = new List<string>();
        var login = await NewPageAsync();
        login.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) lock (violations) violations.Add(message.Text); };
        var document = await login.GotoAsync("/login");
        Assert.That(await document!.HeaderValueAsync("content-security-policy"), Does.Contain("script-src 'self';"));
        await Expect(login.Locator("#userName")).ToBeVisibleAsync();

        var page = await SignInAsync("bureau.admin");
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) lock (violations) violations.Add(message.Text); };
        foreach (var (path, testId) in new[] { ("/tasks/todo", "current-user"), ("/catalog", "current-user"), ("/statistics", "export-xlsx"), ("/admin/users", "current-user") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId(testId)).ToBeVisibleAsync();
        }

        var designer = await SignInAsync("bureau.workflow");
        designer.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) lock (violations) violations.Add(message.Text); };
        await designer.GetByRole(AriaRole.Link, new() { Name = "流程设计", Exact = true }).ClickAsync();
        await designer.GetByRole(AriaRole.Link, new() { Name = "数据异议处理" }).ClickAsync();
        await Expect(designer.GetByTestId("node-reply")).ToBeVisibleAsync();
        var auditor = await SignInAsync("bureau.auditor");
        auditor.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) lock (violations) violations.Add(message.Text); };
        await auditor.GotoAsync("/audit");
        await Expect(auditor.GetByTestId("current-user")).ToBeVisibleAsync();

        Assert.That(violations, Is.Empty);
    }
}
