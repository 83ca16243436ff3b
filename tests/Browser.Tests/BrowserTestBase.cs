using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// One real Host (its own process, fresh demo database) and Debian's Chromium driven by Playwright per fixture; each
/// test signs in in its own browser context. Screenshots of the pages go to artifacts/screenshots/ at the repository root.
/// </summary>
public abstract class BrowserTestBase
{
    public const string DemoPassword = "Pds@2026demo";
    private const string ChromiumVariable = "PDS_TEST_CHROMIUM";

    private IPlaywright? _playwright;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _browserErrors = [];

    protected HostProcess Host { get; private set; } = null!;
    protected IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder => Path.Combine(HostProcess.RepositoryRoot(), "artifacts", "screenshots");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            var message = $"Chromium not found at {chromium} (run scripts/chromium.sh, or set {ChromiumVariable}).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Ignore(message);
        }

        Host = await HostProcess.StartAsync(CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
        Directory.CreateDirectory(ScreenshotFolder);
        // The machine is shared: give a page more than Playwright's default 5 s to show what it should.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }

        if (Host is not null) await Host.DisposeAsync();
    }

    [TearDown]
    public async Task CloseContextsAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            foreach (var page in _contexts.SelectMany(c => c.Pages))
                await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"failed-{TestContext.CurrentContext.Test.Name}-{Guid.NewGuid():N}.png"), FullPage = true });
            TestContext.Out.WriteLine(Host.Log);
            lock (_browserErrors) TestContext.Out.WriteLine(string.Join(Environment.NewLine, _browserErrors));
        }

        lock (_browserErrors) _browserErrors.Clear();

        foreach (var context in _contexts) await context.CloseAsync();
        _contexts.Clear();
    }

    /// <summary>A fresh browser (own cookies): a desktop window, or a phone's 390×844 screen.</summary>
    protected async Task<IPage> NewPageAsync(bool phone = false)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = Host.Address.ToString().TrimEnd('/'), Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            ViewportSize = phone ? new() { Width = 390, Height = 844 } : new() { Width = 1440, Height = 900 },
        };
        if (phone)
        {
            options.IsMobile = true;
            options.HasTouch = true;
        }

        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => { lock (_browserErrors) _browserErrors.Add($"{page.Url}: {error}"); };
        page.Console += (_, message) => { if (message.Type == "error") lock (_browserErrors) _browserErrors.Add($"{page.Url}: console: {message.Text}"); };
        return page;
    }

    /// <summary>
    /// Signs in through the sign-in page and waits for the workbench. A user whose roles require a second factor enrols on
    /// the first sign-in of the fixture as a person would (the secret the enrolment page shows, into an authenticator),
    /// and types the authenticator's code on later ones.
    /// </summary>
    protected async Task<IPage> SignInAsync(string userName, string password = DemoPassword, bool phone = false)
    {
        var page = await NewPageAsync(phone);
        await page.GotoAsync("/login");
        await FillSignInAsync(page, userName, password);
        var code = page.Locator("#code");
        await Assertions.Expect(code.Or(page.GetByTestId("current-user"))).ToBeVisibleAsync();
        if (await code.IsVisibleAsync())
        {
            Assert.That(_authenticators.TryGetValue(userName, out var authenticator), Is.True, $"{userName} has a second factor this fixture did not enrol");
            await code.FillAsync(await authenticator!.NextCodeAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "验 证" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();
        }

        if (await page.GetByTestId("second-factor-page").IsVisibleAsync() || await page.GetByTestId("second-factor-begin").CountAsync() > 0)
            _authenticators[userName] = await EnrolAsync(page);
        return page;
    }

    private readonly Dictionary<string, Authenticator> _authenticators = [];

    /// <summary>Completes the enrolment page: generates the QR code, reads the secret shown beside it, confirms with a code.</summary>
    protected static async Task<Authenticator> EnrolAsync(IPage page)
    {
        await page.GetByTestId("second-factor-begin").ClickAsync();
        await Assertions.Expect(page.GetByTestId("second-factor-qr")).ToBeVisibleAsync();
        var authenticator = new Authenticator((await page.GetByTestId("second-factor-secret").InnerTextAsync()).Trim());
        await page.Locator("#second-factor-code").FillAsync(await authenticator.NextCodeAsync());
        await page.GetByTestId("second-factor-confirm").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        return authenticator;
    }

    protected static async Task FillSignInAsync(IPage page, string userName, string password = DemoPassword)
    {
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登 录" }).ClickAsync();
    }

    /// <summary>
    /// The whole page from its top; or, with a dialog open or on a phone (<paramref name="fullPage"/> false), what the
    /// screen shows, as a person sees it.
    /// </summary>
    /// <remarks>
    /// Before the picture, the page is read for what must not reach a user (issue #18): English words, sign-in names,
    /// ids and hashes, in its text and in the names it gives assistive technology (<see cref="AssertNothingTechnicalAsync"/>).
    /// A page that shows them on purpose (the technical details an auditor opened, the sign-in names an administrator
    /// manages) says so with <paramref name="technical"/>; a page with a technical part (the designer's property panel, which
    /// edits expressions and JSON) names it with <paramref name="technicalPart"/>, and the rest of the page is read.
    /// </remarks>
    protected static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true, bool technical = false, string? technicalPart = null)
    {
        await SettledAsync(page);
        if (!technical) await AssertNothingTechnicalAsync(page, name, technicalPart);
        if (fullPage) await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = fullPage });
    }

    /// <summary>
    /// Fails when the page's visible text, or an accessible name, title, placeholder or alt text anywhere on it (outside
    /// what is hidden from assistive technology), holds an English word, a demo sign-in name, a GUID or a hexadecimal
    /// digest. Names of file formats and algorithms are words a Chinese user reads too (<see cref="AllowedWords"/>); e-mail
    /// addresses and file names are the user's own data.
    /// </summary>
    protected static async Task AssertNothingTechnicalAsync(IPage page, string where, string? technicalPart = null)
    {
        var texts = await page.EvaluateAsync<string[]>("""
            skip => {
              const skipped = skip ? [...document.querySelectorAll(skip)] : [];
              let text = document.body.innerText;
              for (const part of skipped) text = text.replace(part.innerText, ' ');
              const out = [text];
              for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], img[alt], [aria-roledescription]')) {
                if (el.closest('[aria-hidden="true"]') || el.getClientRects().length === 0 || skipped.some(part => part.contains(el))) continue;
                for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription']) {
                  const value = el.getAttribute(name);
                  if (value) out.push(value);
                }
              }
              return out;
            }
            """, technicalPart);
        var found = new List<string>();
        foreach (var text in texts)
        {
            var plain = DataPatterns.Replace(text, " ");
            found.AddRange(EnglishWord.Matches(plain).Where(m => !AllowedWords.Contains(m.Value)).Select(m => $"English “{m.Value}” in “{Around(plain, m)}”"));
            found.AddRange(SignInName.Matches(plain).Select(m => $"sign-in name “{m.Value}” in “{Around(plain, m)}”"));
            found.AddRange(GuidPattern.Matches(plain).Select(m => $"id “{m.Value}” in “{Around(plain, m)}”"));
            found.AddRange(Digest.Matches(plain).Select(m => $"digest “{m.Value}” in “{Around(plain, m)}”"));
        }

        Assert.That(found.Distinct().ToList(), Is.Empty, $"{where} ({page.Url}) shows a user what is not theirs to read");
    }

    /// <summary>The finding with a little of the text around it, so that a failure says where on the page it is.</summary>
    private static string Around(string text, Match match)
    {
        var start = Math.Max(0, match.Index - 15);
        var end = Math.Min(text.Length, match.Index + match.Length + 15);
        return text[start..end].ReplaceLineEndings(" ");
    }

    /// <summary>A user's own data that may be written in Latin letters: e-mail addresses, file names, web addresses, IP addresses.</summary>
    private static readonly Regex DataPatterns = new(@"[\w.+-]+@[\w-]+(\.[\w-]+)+|[^\s/\\:：“”]+\.(pdf|ofd|png|jpe?g|gif|bmp|tiff?|docx?|xlsx?|pptx?|zip|rar|7z|txt|csv|json|key)\b|https?://\S+", RegexOptions.IgnoreCase);

    private static readonly Regex EnglishWord = new(@"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z]{2,}(?![A-Za-z0-9_])");
    private static readonly Regex SignInName = new(@"\b[a-z]+(-[a-z]+)?\.(admin|approver|contact|cataloger|support|data|workflow|auditor|security)\b");
    private static readonly Regex GuidPattern = new(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", RegexOptions.IgnoreCase);
    private static readonly Regex Digest = new(@"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}\b", RegexOptions.IgnoreCase);

    /// <summary>Abbreviations a Chinese government user reads as they are.</summary>
    private static readonly HashSet<string> AllowedWords = new(StringComparer.Ordinal)
    {
        "CSV", "Excel", "JSON", "PDF", "OFD", "FTP", "SFTP", "API", "URL", "TOTP", "SQL", "ECDSA", "SHA", "HTTP", "HTTPS", "WPS", "XML", "ZIP",
        // Database products a catalog entry names as its format (002: 数据库 Dm、KingbaseES、oracle 等).
        "oracle", "Oracle", "KingbaseES", "MySQL", "PostgreSQL",
        // Keys as printed on a keyboard (the designer's shortcuts).
        "Ctrl", "Shift", "Delete", "Backspace", "Esc", "Enter",
        // What the demo's and the tests' applicants typed: their systems' abbreviations.
        "YJS", "HYDJ", "CSYX",
    };

    /// <summary>
    /// Waits until no dialog, drop-down or drawer is still animating in or out: a click that lands on an element while
    /// it moves can miss (seen on the loaded CI machine). Waits for the state, never for a fixed time.
    /// </summary>
    protected static Task SettledAsync(IPage page) =>
        // antd animates through rc-motion, which marks a moving element with <motion>-enter/-appear/-leave plus -prepare,
        // -start or -active until the transition has ended. Only the layers a click can land on count (a button's click
        // wave is a motion too, and may linger when its button goes).
        Assertions.Expect(page.Locator(string.Join(", ",
            from layer in Layers
            from phase in new[] { "enter", "appear", "leave" }
            from step in new[] { "prepare", "start", "active" }
            select $"{layer}[class*='-{phase}-{step}']"))).ToHaveCountAsync(0);

    private static readonly string[] Layers =
        [".ant-modal", ".ant-modal-mask", ".ant-drawer-content-wrapper", ".ant-drawer-mask", ".ant-select-dropdown", ".ant-dropdown", ".ant-picker-dropdown"];

    /// <summary>Closes a dialog with one of its buttons, clicking again until it has gone (a click during its entrance can be lost).</summary>
    protected static async Task CloseDialogAsync(IPage page, ILocator dialog, string button)
    {
        for (var attempt = 1; ; attempt++)
        {
            await SettledAsync(page);
            if (await dialog.CountAsync() > 0 && await dialog.IsVisibleAsync()) await dialog.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            try
            {
                await Assertions.Expect(dialog).ToBeHiddenAsync(new() { Timeout = attempt < 3 ? 5_000 : 20_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // still open: close it again
            }
        }
    }

    /// <summary>Answers the open confirmation (modal.confirm) with its primary button, and waits until it has gone.</summary>
    protected static async Task ConfirmAsync(IPage page)
    {
        var confirm = page.Locator(".ant-modal-confirm");
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        await SettledAsync(page);
        await confirm.Locator(".ant-modal-confirm-btns .ant-btn-primary").ClickAsync();
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
    }

    /// <summary>同意 on the task page with an opinion, confirmed; the page goes back to the inbox.</summary>
    protected static async Task ApproveAsync(IPage page, string opinion)
    {
        await page.Locator("#approve-comment").FillAsync(opinion);
        await page.GetByTestId("approve").ClickAsync();
        await ConfirmAsync(page);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks/todo"));
    }

    /// <summary>Clicks an entry of the task page's 更多 menu.</summary>
    protected static async Task MoreAsync(IPage page, string entry)
    {
        var item = page.Locator(".ant-dropdown:visible .ant-dropdown-menu-item").Filter(new() { HasText = entry });
        for (var attempt = 1; ; attempt++)
        {
            if (!await item.IsVisibleAsync()) await page.GetByTestId("more").ClickAsync();
            try
            {
                await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = attempt < 3 ? 5_000 : 20_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // the menu did not open on that click: open it again
            }
        }

        await SettledAsync(page);
        await item.ClickAsync();
    }

    /// <summary>
    /// Picks an option of the antd Select whose input has the id <paramref name="fieldId"/>: opens it (again, until its own
    /// drop-down, found by the listbox antd names after the id, shows the option), types the label when the select
    /// searches, clicks the option once nothing moves, and waits until the select shows the choice.
    /// </summary>
    protected static async Task SelectAsync(IPage page, string fieldId, string optionLabel)
    {
        var select = page.Locator($".ant-select:has(#{fieldId})");
        var dropdown = page.Locator($".ant-select-dropdown:has([id='{fieldId}_list'])");
        var option = dropdown.Locator(".ant-select-item-option").Filter(new() { HasText = optionLabel }).First;
        await Assertions.Expect(select).ToBeVisibleAsync();
        await SettledAsync(page);
        for (var attempt = 1; ; attempt++)
        {
            if (!await dropdown.IsVisibleAsync()) await select.ClickAsync();
            if (await select.GetAttributeAsync("class") is { } css && css.Contains("ant-select-show-search", StringComparison.Ordinal))
                await page.Locator($"#{fieldId}").FillAsync(optionLabel);
            try
            {
                await Assertions.Expect(option).ToBeVisibleAsync(new() { Timeout = attempt < 4 ? 5_000 : 20_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 4)
            {
                // not open yet: the next round opens it again
            }
        }

        await SettledAsync(page);
        await option.ClickAsync();
        await Assertions.Expect(select.Locator(".ant-select-selection-item")).ToContainTextAsync(optionLabel);
    }

    /// <summary>Picks a person in the people picker by a search text that finds only them.</summary>
    protected static async Task PickPersonAsync(IPage page, string search, string name)
    {
        await page.Locator("#picker-search").FillAsync(search);
        await page.Locator("#picker-search").PressAsync("Enter");
        var person = page.GetByTestId("picker-person").Filter(new() { HasText = name });
        await Assertions.Expect(person).ToHaveCountAsync(1);
        await person.ClickAsync();
        await Assertions.Expect(page.GetByTestId("picker-chosen")).ToContainTextAsync(name);
    }

    /// <summary>The JSON the API answers to the signed-in page.</summary>
    protected static async Task<System.Text.Json.JsonElement> ApiAsync(IPage page, string url) =>
        System.Text.Json.JsonDocument.Parse(await (await page.APIRequest.GetAsync(url)).TextAsync()).RootElement;

    protected static Guid IdFromUrl(IPage page, string prefix)
    {
        var match = Regex.Match(page.Url, $"{Regex.Escape(prefix)}([0-9a-f-]{{36}})");
        Assert.That(match.Success, Is.True, $"expected {prefix}<id> in {page.Url}");
        return Guid.Parse(match.Groups[1].Value);
    }
}
