using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// Issue 8's designer: a workflow admin adds a step to the data objection process (objection) in the designer, sees the
/// server's validation error on the node and the field, fixes it and publishes v2; a new application runs on v2 while
/// one started before stays on v1 until the admin migrates it (dry run, then run).
/// </summary>
public sealed class DesignerTests : BrowserTestBase
{
    private const string Applicant = "xhq-mzj.contact";
    private const string ApplicantName = "汪波东";

    /// <summary>The property panel edits a step's expressions and JSON: the one technical part of the designer's page.</summary>
    private const string PropertyPanel = "[data-testid=property-panel]";

    [Test]
    public async Task An_admin_adds_a_step_fixes_its_validation_error_publishes_v2_and_migrates_a_running_case()
    {
        var applicant = await SignInAsync(Applicant);
        var before = await StartObjectionAsync(applicant);
        Assert.That(before.Version, Is.EqualTo(1), "the case started before the change runs on v1");

        var admin = await SignInAsync("bureau.workflow");
        await admin.GetByRole(AriaRole.Link, new() { Name = "流程设计", Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "数据异议处理" }).ClickAsync();
        await Expect(admin.GetByTestId("node-reply")).ToBeVisibleAsync();
        // Ports and steps in Chinese, no watermark.
        await Expect(admin.GetByTestId("port-label-reply-Escalated")).ToHaveTextAsync("超期升级");
        await Expect(admin.GetByTestId("port-label-reply-Approve")).ToHaveTextAsync("同意");
        await Expect(admin.Locator(".react-flow__attribution")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId("canvas")).Not.ToContainTextAsync("Approve");

        // A human step from the palette, dropped on the canvas and connected: 提供方核实答复 --Escalated--> new --Approve--> 通知需求方.
        await admin.GetByTestId("palette-UserTask").DragToAsync(admin.GetByTestId("canvas"), new() { TargetPosition = new() { X = 480, Y = 170 } });
        var added = admin.Locator(".react-flow__node").Filter(new() { Has = admin.Locator("[data-testid^='node-userTask']") });
        await Expect(added).ToHaveCountAsync(1);
        var addedId = await added.GetAttributeAsync("data-id");
        await ConnectAsync(admin, admin.GetByTestId("port-reply-Escalated"), added.Locator(".react-flow__handle-top"));
        await ConnectAsync(admin, admin.GetByTestId($"port-{addedId}-Approve"), admin.Locator(".react-flow__node[data-id='notifyReply'] .react-flow__handle-top"));
        await Expect(admin.Locator($".react-flow__edge[data-id='reply:Escalated->{addedId}']")).ToHaveCountAsync(1);
        await Expect(admin.Locator($".react-flow__edge[data-id='{addedId}:Approve->notifyReply']")).ToHaveCountAsync(1);

        // Saved as a draft: the missing 办理人 is marked on the node and, once selected, on the field.
        await admin.GetByTestId("save-draft").ClickAsync();
        await Expect(admin.GetByTestId($"node-error-badge-{addedId}")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("validation-errors")).ToContainTextAsync("办理人");
        await added.ClickAsync();
        await Expect(admin.Locator("[data-testid='input-assignment'] .ant-form-item-explain-error")).ToBeVisibleAsync();
        // A vote ratio of 3 does not pass.
        await SelectAsync(admin, "in-approvalMode", "票签（达到比例即通过）");
        await admin.Locator("#in-approvalRatio").FillAsync("3");
        await admin.GetByTestId("save-draft").ClickAsync();
        await Expect(admin.GetByTestId("validation-errors")).ToContainTextAsync("票签通过比例应大于 0 且不超过 1");
        await Expect(admin.Locator("[data-testid='input-approvalRatio'] .ant-form-item-explain-error")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "designer-validation-error", technicalPart: PropertyPanel);

        // Fixed with the role picker: the provider's approver.
        await admin.Locator("#prop-name").FillAsync("提供方复核");
        await SelectAsync(admin, "in-assignment-kind", "按角色");
        await SelectAsync(admin, "in-assignment-role", "数据提供方审批人");
        await SelectAsync(admin, "in-assignment-scope", "数据提供单位");
        await admin.Locator("#in-approvalRatio").FillAsync("0.6");
        await Expect(admin.GetByTestId("unsaved")).ToBeVisibleAsync();
        await admin.GetByTestId("save-draft").ClickAsync();
        // Valid, but the new step's 不同意 leads nowhere: a reminder, not 校验通过.
        await Expect(admin.GetByTestId("validation-warnings")).ToContainTextAsync("校验通过，但有 1 处提醒");
        await Expect(admin.GetByTestId("validation-warnings")).ToContainTextAsync("出口“不同意”没有连线");
        await Expect(admin.GetByTestId("validation-errors")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId($"node-error-badge-{addedId}")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId("unsaved")).ToHaveCountAsync(0);

        // A save the server refuses is shown, not swallowed (the refusal as the server words a 403).
        await admin.RouteAsync("**/api/designer/definitions/objection/draft", route => route.FulfillAsync(new()
        {
            Status = 403, ContentType = "application/problem+json",
            Body = """{"status":403,"code":"forbidden","title":"无权访问","detail":"您没有修改流程定义的权限。"}""",
        }));
        await admin.GetByTestId("save-draft").ClickAsync();
        await Expect(admin.GetByTestId("designer-failure")).ToContainTextAsync("您没有修改流程定义的权限");
        await ScreenshotAsync(admin, "designer-refused-save", fullPage: false, technicalPart: PropertyPanel);
        await admin.UnrouteAsync("**/api/designer/definitions/objection/draft");

        // Publishing asks first, with the reminder and a release note.
        await admin.GetByTestId("publish").ClickAsync();
        var dialog = admin.Locator(".ant-modal").Filter(new() { HasText = "发布 v2" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByTestId("publish-warnings")).ToContainTextAsync("不同意");
        await SettledAsync(admin);
        await dialog.Locator("#publish-confirm").ClickAsync();
        await Expect(dialog).ToContainTextAsync("请填写发布说明");
        await dialog.Locator("#release-note").FillAsync("提供方核实答复超期时，增加提供方复核环节");
        await ScreenshotAsync(admin, "designer-publish-dialog", fullPage: false, technicalPart: PropertyPanel);
        await dialog.Locator("#publish-confirm").ClickAsync();
        await Expect(admin.GetByText("v2 已发布").First).ToBeVisibleAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await ScreenshotAsync(admin, "designer-published-v2", technicalPart: PropertyPanel);

        var published = JsonDocument.Parse(await (await admin.APIRequest.GetAsync("/api/definitions/objection")).TextAsync()).RootElement;
        Assert.That(published.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(published.GetProperty("root").GetProperty("activities").EnumerateArray().Any(a => a.GetProperty("name").GetString() == "提供方复核"), Is.True);

        // A new application runs on v2; the one started before stays on v1.
        var after = await StartObjectionAsync(applicant);
        Assert.That(after.Version, Is.EqualTo(2));
        Assert.That(await VersionOfAsync(applicant, before.Id), Is.EqualTo(1));

        // The migration page: the old case by its 业务编号, its applicant and its current step by name (never the step's id),
        // a dry run that changes nothing, then the run.
        await admin.GotoAsync("/designer/objection/migrate");
        await Expect(admin.GetByTestId("migration-process")).ToHaveTextAsync("数据异议处理");
        var row = admin.Locator($"tr[data-row-key='{before.Id}']");
        await Expect(row.GetByTestId("current-step-names")).ToHaveTextAsync("反馈异议");
        await Expect(row).ToContainTextAsync("草稿"); // started through the API and not yet submitted at 反馈异议: no 业务编号 yet
        await Expect(row).ToContainTextAsync("营业执照");
        await Expect(row).ToContainTextAsync(ApplicantName);
        await row.Locator("input[type=checkbox]").CheckAsync();
        await admin.GetByTestId("dry-run").ClickAsync();
        await Expect(admin.GetByTestId("migration-summary")).ToContainTextAsync("试运行：1 个可迁移，0 个被拒绝");
        await Expect(admin.GetByTestId("migration-report")).ToContainTextAsync("反馈异议 → 反馈异议");
        await Expect(admin.GetByTestId("migration-report")).ToContainTextAsync("环节【反馈异议】保持不变");
        await Expect(admin.Locator("main, .ant-layout-content").First).Not.ToContainTextAsync("report");
        Assert.That(await VersionOfAsync(applicant, before.Id), Is.EqualTo(1), "a dry run changes nothing");
        await ScreenshotAsync(admin, "designer-migration-dry-run");
        await admin.GetByTestId("run-migration").ClickAsync();
        await Expect(admin.GetByTestId("migration-summary")).ToContainTextAsync("已执行：迁移 1 个");
        await Expect(admin.GetByTestId("migration-report")).ToContainTextAsync("已迁移");
        await ScreenshotAsync(admin, "designer-migration-run");
        Assert.That(await VersionOfAsync(applicant, before.Id), Is.EqualTo(2));

        // The diff between the versions lists and highlights the added step.
        await admin.GotoAsync("/designer/objection");
        await admin.GetByTestId("versions").ClickAsync();
        await Expect(admin.Locator(".ant-drawer-open")).ToBeVisibleAsync();
        // v1 was replaced by v2's publication: superseded, not withdrawn; v2 keeps its release note.
        await Expect(admin.GetByTestId("version-1")).ToContainTextAsync("已被 v2 取代");
        await Expect(admin.GetByTestId("version-1")).Not.ToContainTextAsync("撤销");
        await Expect(admin.GetByTestId("version-2")).ToContainTextAsync("已发布");
        await Expect(admin.GetByTestId("version-2")).ToContainTextAsync("发布说明：提供方核实答复超期时，增加提供方复核环节");
        // Who saved and published it, by name: the workflow admin 董悦涵, not the sign-in name.
        await Expect(admin.GetByTestId("version-2").GetByTestId("version-people")).ToContainTextAsync("董悦涵 发布");
        await Expect(admin.Locator(".ant-drawer-open")).Not.ToContainTextAsync("bureau.workflow");
        await ScreenshotAsync(admin, "designer-versions", fullPage: false, technicalPart: PropertyPanel);
        // 恢复 asks first (a confirmation that renders: antd's App context), and cancelling changes nothing.
        await admin.GetByTestId("version-1").Locator("a").Filter(new() { HasText = "恢复" }).ClickAsync();
        var restore = admin.Locator(".ant-modal-confirm").Filter(new() { HasText = "从 v1 恢复为新草稿？" });
        await Expect(restore).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "designer-restore-confirm", fullPage: false, technicalPart: PropertyPanel);
        await CloseDialogAsync(admin, restore, "取 消");
        await Expect(admin.GetByTestId("version-list").Locator("[data-testid^='version-']").Filter(new() { HasTextRegex = new("^v3") })).ToHaveCountAsync(0);
        await PickVersionAsync(admin, "diff-from", "v1");
        await PickVersionAsync(admin, "diff-to", "v2");
        await admin.GetByTestId("show-diff").ClickAsync();
        await Expect(admin.GetByTestId("diff-list")).ToContainTextAsync("新增环节【提供方复核】");
        await Expect(admin.GetByTestId("diff-list")).ToContainTextAsync("新增连线【提供方核实答复】“超期升级” →【提供方复核】");
        await Expect(admin.GetByTestId("diff-list")).Not.ToContainTextAsync(addedId!);
        await Expect(admin.GetByTestId($"node-{addedId}")).ToHaveAttributeAsync("data-diff", "added");
        await ScreenshotAsync(admin, "designer-diff", technicalPart: PropertyPanel);

        // Leaving with unsaved changes asks first: 留在此页 keeps them, 离开 leaves.
        await admin.GetByTestId("diff-list").Locator(".ant-alert-close-icon").ClickAsync();
        await Expect(admin.GetByTestId("diff-list")).ToHaveCountAsync(0);
        await admin.Locator($".react-flow__node[data-id='{addedId}']").ClickAsync();
        await admin.Keyboard.PressAsync("Delete");
        await Expect(admin.Locator($".react-flow__node[data-id='{addedId}']")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId("unsaved")).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "流程设计", Exact = true }).ClickAsync();
        var leave = admin.Locator(".ant-modal-confirm").Filter(new() { HasText = "离开此页？" });
        await Expect(leave).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "designer-unsaved-leave", fullPage: false, technicalPart: PropertyPanel);
        await CloseDialogAsync(admin, leave, "留在此页");
        await Expect(admin.GetByTestId("unsaved")).ToBeVisibleAsync();
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/designer/objection$"));
        await admin.GetByRole(AriaRole.Link, new() { Name = "流程设计", Exact = true }).ClickAsync();
        await ConfirmAsync(admin);
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/designer$"));
    }

    private static async Task PickVersionAsync(IPage page, string id, string version)
    {
        // One dropdown at a time: a closing one still shows its options while it animates out.
        await Expect(page.Locator(".ant-select-dropdown:visible")).ToHaveCountAsync(0);
        await page.Locator($".ant-select:has(#{id}) .ant-select-selector").ClickAsync();
        await page.Locator(".ant-select-dropdown:visible .ant-select-item-option").Filter(new() { HasTextRegex = new($"^{version}$") }).ClickAsync();
        await Expect(page.Locator(".ant-select-dropdown:visible")).ToHaveCountAsync(0);
    }

    private static async Task ConnectAsync(IPage page, ILocator source, ILocator target)
    {
        var from = (await source.BoundingBoxAsync())!;
        var to = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((from.X + to.X) / 2, (from.Y + to.Y) / 2, new() { Steps = 5 });
        await page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + to.Height / 2, new() { Steps = 5 });
        await page.Mouse.UpAsync();
    }

    private static async Task<(Guid Id, int Version)> StartObjectionAsync(IPage page)
    {
        var token = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/auth/csrf")).TextAsync()).RootElement.GetProperty("token").GetString()!;
        var response = await page.APIRequest.PostAsync("/api/applications", new()
        {
            Headers = new Dictionary<string, string> { ["X-CSRF-TOKEN"] = token },
            // The provider comes from the catalog entry (平顶山市市场监督管理局's 营业执照 resource), never from the applicant.
            DataObject = new { definitionId = "objection", form = new { resourceCode = "10200101/0001" } },
        });
        Assert.That(response.Status, Is.EqualTo(201), await response.TextAsync());
        var body = JsonDocument.Parse(await response.TextAsync()).RootElement;
        return (body.GetProperty("instanceId").GetGuid(), body.GetProperty("definitionVersion").GetInt32());
    }

    private static async Task<int> VersionOfAsync(IPage page, Guid id) =>
        JsonDocument.Parse(await (await page.APIRequest.GetAsync($"/api/applications/{id}")).TextAsync()).RootElement.GetProperty("definitionVersion").GetInt32();
}
