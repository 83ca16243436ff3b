using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// The auditor (issue 8): finds a finished case, opens it, steps through its journal with the replay slider, verifies
/// it (intact and reproducible, each check passed, the signature's key and algorithms named); then a journal row and the
/// approver's task action altered directly in the Host's database make verify fail and the page names both.
/// </summary>
public sealed class AuditTests : BrowserTestBase
{
    [Test]
    public async Task An_auditor_steps_through_a_finished_case_verifies_it_and_a_tampered_journal_row_is_named()
    {
        // A finished case: bureau.support runs 平台交换 of the demo's unconditional subscription DEMO-SUB-002.
        var caseId = await FinishDemoExchangeAsync();

        var auditor = await SignInAsync("bureau.auditor");
        await auditor.GetByRole(AriaRole.Link, new() { Name = "流程审计", Exact = true }).ClickAsync();
        await SelectAsync(auditor, "audit-status", "已办结");
        // By the unit's name, not its code (issue #18: 公安局 found nothing, gaj did).
        await auditor.Locator("#audit-department").FillAsync("人力资源和社会保障局");
        await auditor.GetByTestId("audit-search").ClickAsync();
        await Expect(auditor).ToHaveURLAsync(new Regex("status=Finished"));
        // The row names the case by its 业务编号, given when the demo's applicant submitted it.
        var number = (await ApiAsync(auditor, $"/api/applications/{caseId}")).GetProperty("businessNumber").GetString();
        Assert.That(number, Does.Match(@"^订阅-\d{4}-\d{6}$"));
        var row = auditor.Locator(".ant-table-row").Filter(new() { HasText = number });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("已办结");
        await Expect(row).ToContainTextAsync("市人力资源和社会保障局");
        await Expect(row).Not.ToContainTextAsync("rsj.contact");
        await ScreenshotAsync(auditor, "audit-10-search");
        await row.GetByTestId("audit-open").ClickAsync();
        Assert.That(IdFromUrl(auditor, "/audit/"), Is.EqualTo(caseId));

        // The diagram of the pinned version: the path taken to the end, nothing left open.
        await Expect(auditor.GetByTestId("audit-title")).ToContainTextAsync("审计记录");
        await Expect(auditor.GetByTestId("audit-status")).ToContainTextAsync("已办结");
        await Expect(auditor.GetByTestId("node-tableExchange")).ToHaveAttributeAsync("data-state", "done");
        await Expect(auditor.GetByTestId("node-providerApproval")).ToHaveAttributeAsync("data-state", "idle"); // unconditional: no provider approval
        await Expect(auditor.GetByTestId("node-done")).ToHaveAttributeAsync("data-state", "done");
        // Readable: what happened to which step, by whom, in Chinese; no ids, event or type names, login names or hashes.
        var journal = auditor.GetByTestId("audit-journal");
        await Expect(journal).ToContainTextAsync("【平台交换】完成：同意");
        await Expect(auditor.GetByTestId("entry-deadline").First).ToContainTextAsync("个工作日");
        foreach (var technical in new[] { "ActivityCompleted", "UserTask", "platformExchange", "bureau.support", "Approve" })
            await Expect(journal).Not.ToContainTextAsync(technical);
        await Expect(journal).Not.ToHaveTextAsync(new Regex("[0-9a-f]{64}")); // the exchange's checksums only under the technical details
        await Expect(auditor.GetByTestId("audit-technical")).ToHaveCountAsync(0);
        await Expect(auditor.Locator("body")).Not.ToContainTextAsync(caseId.ToString());
        // The diagram opens legible (at the end of the path it took), its minimap drawn in the states' colours.
        await Expect(auditor.Locator(".react-flow__viewport")).ToHaveAttributeAsync("style", new Regex(@"scale\((0\.(8[5-9]|9)\d*|1(\.\d+)?)\)"));
        await Expect(auditor.Locator(".react-flow__minimap-node")).ToHaveCountAsync(await auditor.Locator(".react-flow__node").CountAsync());
        await Expect(auditor.Locator(".react-flow__minimap-node.minimap-done").First).ToBeAttachedAsync();
        await Expect(auditor.Locator(".react-flow__attribution")).ToHaveCountAsync(0);
        await ScreenshotAsync(auditor, "audit-15-readable", technicalPart: Recorded);
        // The whole journal only on demand.
        await auditor.GetByTestId("technical-toggle").ClickAsync();
        await Expect(journal).ToContainTextAsync("ActivityCompleted");
        await Expect(journal.GetByTestId("journal-entry").First).ToBeVisibleAsync();
        await auditor.GetByTestId("technical-toggle").ClickAsync();
        await Expect(journal.GetByTestId("journal-entry")).ToHaveCountAsync(0);

        // Step back through the snapshots: at the start, the case stood at the applicant's submission.
        var last = await auditor.GetByTestId("replay-sequence").TextContentAsync();
        var slider = auditor.GetByTestId("replay-slider").Locator(".ant-slider-handle");
        await slider.FocusAsync();
        await auditor.Keyboard.PressAsync("Home");
        await Expect(auditor.GetByTestId("replay-sequence")).Not.ToHaveTextAsync(last!);
        await Expect(auditor.GetByTestId("node-done")).ToHaveAttributeAsync("data-state", "idle");
        // Forward until the case waits at 平台交换, with the variables as they were then.
        for (var i = 0; i < 60 && await auditor.GetByTestId("replay-position").GetAttributeAsync("data-position") != "platformExchange"; i++)
            await auditor.GetByTestId("replay-next").ClickAsync();
        await Expect(auditor.GetByTestId("replay-position")).ToHaveAttributeAsync("data-position", "platformExchange");
        await Expect(auditor.GetByTestId("replay-position")).ToHaveTextAsync("平台交换");
        await Expect(auditor.GetByTestId("node-platformExchange")).ToHaveAttributeAsync("data-state", "current");
        await Expect(auditor.GetByTestId("node-tableExchange")).ToHaveAttributeAsync("data-state", "idle");
        await Expect(auditor.GetByTestId("replay-state")).ToContainTextAsync("shareType");
        await Expect(auditor.GetByTestId("replay-variables").Locator(".ant-descriptions-item-label").First).ToBeVisibleAsync();
        await Expect(auditor.GetByTestId("replay-state").Locator("pre")).ToHaveCountAsync(0); // label: value rows, not raw JSON
        await ScreenshotAsync(auditor, "audit-20-replay", technicalPart: Recorded);
        await slider.FocusAsync(); // the step buttons took the focus
        await auditor.Keyboard.PressAsync("End");
        await Expect(auditor.GetByTestId("replay-sequence")).ToHaveTextAsync(last!);

        await auditor.GetByTestId("verify").ClickAsync();
        await Expect(auditor.GetByTestId("verify-verdict")).ToHaveTextAsync("完整且可复现", new() { Timeout = 90_000 });
        await Expect(auditor.GetByTestId("verify-result")).ToContainTextAsync("哈希链：完整");
        // Each check says what it verified: the signature names its key and algorithm.
        await Expect(auditor.GetByTestId("verify-check")).ToHaveCountAsync(5);
        foreach (var check in new[] { "chain", "records", "signatures", "anchor", "replay" })
            await Expect(Check(auditor, check)).ToHaveAttributeAsync("data-passed", "true");
        await Expect(Check(auditor, "signatures")).ToContainTextAsync("SM2 签名，SM3 哈希");
        await Expect(auditor.GetByTestId("verify-keys")).ToHaveCountAsync(0); // key ids only under 技术细节
        await auditor.GetByText("技术细节：签名密钥").ClickAsync();
        await Expect(auditor.GetByTestId("verify-keys")).ToContainTextAsync("受信任");
        // The signing keys the auditor opened under 技术细节.
        await ScreenshotAsync(auditor, "audit-30-verified", technical: true);

        // Someone edits the journal behind the application's back: the comment of bureau.support's decision.
        var sequence = await TamperAsync(caseId);
        await auditor.ReloadAsync();
        await auditor.GetByTestId("verify").ClickAsync();
        await Expect(auditor.GetByTestId("verify-verdict")).ToHaveTextAsync("校验未通过", new() { Timeout = 90_000 });
        await Expect(auditor.GetByTestId("verify-result")).ToContainTextAsync("哈希链：被篡改");
        await Expect(auditor.GetByTestId("verify-violation").First).ToContainTextAsync($"第 {sequence} 条记录");
        await Expect(Check(auditor, "chain")).ToHaveAttributeAsync("data-passed", "false");
        await Expect(Check(auditor, "records")).ToHaveAttributeAsync("data-passed", "false");
        await Expect(Check(auditor, "records")).ToContainTextAsync("办理记录");
        await Expect(Check(auditor, "records")).ToContainTextAsync("被修改");
        // The failed verification names the altered entries in the journal's own terms (event, actor, type): the auditor's evidence.
        await ScreenshotAsync(auditor, "audit-40-tampered", technicalPart: $"{Recorded}, [data-testid=verify-result]");
    }

    /// <summary>
    /// The replay's data panel (the case's variables by their keys) and the platform's notes quoted as recorded (an
    /// exchange names its front-end tables): the technical parts of the readable page.
    /// </summary>
    private const string Recorded = "[data-testid=replay-state], .audit-note";

    private static ILocator Check(IPage page, string name) => page.Locator($"[data-testid=verify-check][data-name={name}]");

    /// <summary>Completes 平台交换 of DEMO-SUB-002 as bureau.support in the UI and waits until the case is finished.</summary>
    private async Task<Guid> FinishDemoExchangeAsync()
    {
        var support = await SignInAsync("bureau.support");
        var todo = JsonDocument.Parse(await (await support.APIRequest.GetAsync("/api/tasks/todo?pageSize=200")).TextAsync()).RootElement;
        var task = todo.GetProperty("items").EnumerateArray()
            .First(t => t.GetProperty("definitionId").GetString() == "subscription" && t.GetProperty("activityId").GetString() == "platformExchange");
        var caseId = task.GetProperty("instanceId").GetGuid();
        await support.GotoAsync($"/tasks/{task.GetProperty("id").GetGuid()}");
        await Expect(support.GetByTestId("task-title")).ToContainTextAsync("平台交换");
        var claim = support.GetByTestId("task-actions").GetByRole(AriaRole.Button, new() { Name = "认 领" });
        if (await claim.IsVisibleAsync()) await claim.ClickAsync();
        await ApproveAsync(support, "已完成库表交换。");
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var status = JsonDocument.Parse(await (await support.APIRequest.GetAsync($"/api/applications/{caseId}")).TextAsync()).RootElement.GetProperty("status").GetString();
            if (string.Equals(status, "finished", StringComparison.OrdinalIgnoreCase)) return caseId;
            await Task.Delay(500);
        }

        Assert.Fail($"case {caseId} did not finish:\n{Host.Log}");
        return caseId;
    }

    /// <summary>
    /// Rewrites the message of bureau.support's entry in wf_journal (its hash left as it was) and the opinion of its task
    /// action (what the tracking page shows); returns the entry's sequence.
    /// </summary>
    private async Task<long> TamperAsync(Guid caseId)
    {
        await using var connection = new SqliteConnection($"Data Source={Host.DatabasePath}");
        await connection.OpenAsync();
        await using var find = connection.CreateCommand();
        find.CommandText = "SELECT MIN(Sequence) FROM wf_journal WHERE lower(InstanceId) = $id AND Actor = 'bureau.support'";
        find.Parameters.AddWithValue("$id", caseId.ToString());
        var sequence = (long)(await find.ExecuteScalarAsync())!;
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE wf_journal SET Message = '同意（已被改动）' WHERE lower(InstanceId) = $id AND Sequence = $sequence";
        update.Parameters.AddWithValue("$id", caseId.ToString());
        update.Parameters.AddWithValue("$sequence", sequence);
        Assert.That(await update.ExecuteNonQueryAsync(), Is.EqualTo(1));
        await using var opinion = connection.CreateCommand();
        opinion.CommandText = "UPDATE wf_task_actions SET Comment = '同意（已被改动）' WHERE lower(InstanceId) = $id AND Actor = 'bureau.support' AND Action = 'approve'";
        opinion.Parameters.AddWithValue("$id", caseId.ToString());
        Assert.That(await opinion.ExecuteNonQueryAsync(), Is.EqualTo(1));
        return sequence;
    }
}
