using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// The bureau's side of issue #18: statistics of the cases with charts, the period picker and the exports; the units page
/// naming parents, the catalog's publish date the same in the list and on the entry, a favicon and a title per page.
/// </summary>
public sealed class BureauTests : BrowserTestBase
{
    [Test]
    public async Task The_bureau_reads_received_finished_on_time_and_overdue_steps_with_charts_and_exports_them()
    {
        // Two deadlines already past (as a week without work would leave them): 平台交换 of DEMO-SUB-002, then decided late,
        // and the provider's approval of DEMO-SUB-001, still open: overdue now at 市公安局.
        await PastDeadlineAsync("DEMO-SUB-002");
        await PastDeadlineAsync("DEMO-SUB-001");
        var support = await SignInAsync("bureau.support");
        var exchange = await OpenTaskAtAsync(support, "platformExchange");
        await support.GotoAsync($"/tasks/{exchange}");
        await Expect(support.GetByTestId("task-title")).ToContainTextAsync("平台交换");
        var claim = support.GetByTestId("task-actions").GetByRole(AriaRole.Button, new() { Name = "认 领" });
        if (await claim.IsVisibleAsync()) await claim.ClickAsync();
        await ApproveAsync(support, "已完成库表交换。");

        var bureau = await SignInAsync("bureau.data");
        await bureau.GetByRole(AriaRole.Link, new() { Name = "统计分析", Exact = true }).ClickAsync();
        await Expect(bureau).ToHaveTitleAsync(new Regex("^统计分析 - "));
        var cases = bureau.GetByTestId("case-statistics");
        ILocator Figure(string name) => cases.GetByTestId(name).Locator(".ant-statistic-content-value");
        // The demo's applications were submitted when the Host seeded them (today); one of them finished, late.
        var submitted = (await ApiAsync(bureau, $"/api/statistics/cases?from={Year()}-01-01&to={Today()}")).GetProperty("totals").GetProperty("received").GetInt32();
        Assert.That(submitted, Is.GreaterThanOrEqualTo(6));
        await Expect(Figure("case-received")).ToHaveTextAsync(submitted.ToString(CultureInfo.InvariantCulture));
        await Expect(Figure("case-finished")).ToHaveTextAsync("1");
        await Expect(Figure("case-on-time")).ToHaveTextAsync("0.0%");
        await Expect(Figure("case-average")).ToHaveTextAsync("0");
        await Expect(Figure("case-late-steps")).ToHaveTextAsync("1");
        await Expect(Figure("case-overdue-now")).ToHaveTextAsync("1");
        foreach (var chart in new[] { "chart-trend", "chart-overdue-units", "chart-overdue-steps" })
            await Expect(cases.GetByTestId(chart).Locator("canvas").First).ToBeVisibleAsync();
        await Expect(cases.GetByTestId("chart-overdue-units")).ToHaveAttributeAsync("aria-label", new Regex("办理单位"));
        var process = cases.GetByTestId("case-by-process").Locator(".ant-table-row").Filter(new() { HasText = "库表与文件订阅" });
        await Expect(process).ToContainTextAsync("0.0%");
        await Expect(bureau.GetByTestId("statistics-chart").Locator("canvas").First.Or(bureau.GetByText("统计期间内没有数据"))).ToBeVisibleAsync();
        await ScreenshotAsync(bureau, "statistics-10-cases");

        // The figures the charts draw are the server's, per unit: the late step at the bureau, the open one at 平顶山市公安局.
        var report = await ApiAsync(bureau, $"/api/statistics/cases?from={Year()}-01-01&to={Today()}");
        var units = report.GetProperty("overdueByUnit").EnumerateArray()
            .Select(u => (u.GetProperty("orgUnitName").GetString(), u.GetProperty("decidedLate").GetInt32(), u.GetProperty("overdueNow").GetInt32())).ToList();
        Assert.That(units, Is.EquivalentTo(new[] { ("平顶山市政务服务和大数据管理局", 1, 0), ("平顶山市公安局", 0, 1) }));

        // Another period: last year's has nothing.
        await bureau.Locator("#statistics-period").ClickAsync();
        var picker = bureau.Locator(".ant-picker-dropdown:visible");
        await Expect(picker).ToBeVisibleAsync();
        await picker.GetByText("近 30 天").ClickAsync();
        await Expect(Figure("case-received")).ToHaveTextAsync(submitted.ToString(CultureInfo.InvariantCulture));

        // Exports: the server's CSV and workbook of the same figures.
        var csvHref = await cases.GetByTestId("cases-export-csv").GetAttributeAsync("href");
        Assert.That(csvHref, Does.Contain("/api/statistics/cases?").And.Contain("format=csv"));
        var csv = await bureau.APIRequest.GetAsync(csvHref!);
        Assert.That(csv.Headers["content-type"], Does.StartWith("text/csv"));
        Assert.That(await csv.TextAsync(), Does.Contain("合计,").And.Contain("库表与文件订阅（同级及跨层级）"));
        var xlsx = await bureau.APIRequest.GetAsync((await cases.GetByTestId("cases-export-xlsx").GetAttributeAsync("href"))!);
        Assert.That(xlsx.Headers["content-type"], Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    }

    [Test]
    public async Task Units_name_their_parent_the_catalog_agrees_on_publish_dates_and_each_page_has_its_title_and_the_favicon()
    {
        var admin = await SignInAsync("bureau.admin");
        await admin.GotoAsync("/admin/units");
        await Expect(admin).ToHaveTitleAsync(new Regex("^单位管理 - "));
        var secondary = admin.Locator(".ant-table-row").Filter(new() { HasText = "市公安局交通管理支队车辆管理所" });
        await Expect(secondary.GetByTestId("unit-parent")).ToHaveTextAsync("平顶山市公安局");
        // The platform administrator manages units by their codes (the 编号 column); parents are named, not coded.
        await ScreenshotAsync(admin, "admin-10-units", technical: true);

        var clerk = await SignInAsync("rsj.contact");
        await clerk.GotoAsync("/catalog");
        await Expect(clerk).ToHaveTitleAsync(new Regex("^资源目录 - "));
        var row = clerk.Locator(".ant-table-row").First;
        var listed = (await row.GetByTestId("catalog-publish-date").InnerTextAsync()).Trim();
        Assert.That(listed, Does.Match(@"^\d{4}-\d{2}-\d{2}$"));
        await row.Locator("a").First.ClickAsync();
        await Expect(clerk.GetByTestId("entry-publish-date")).ToHaveTextAsync(listed);
        await Expect(clerk).ToHaveTitleAsync(new Regex("^目录资源 - "));
        await ScreenshotAsync(clerk, "catalog-20-entry-date");

        var icon = await clerk.Locator("link[rel=icon]").GetAttributeAsync("href");
        var favicon = await clerk.APIRequest.GetAsync(icon!);
        Assert.That((favicon.Status, favicon.Headers["content-type"]), Is.EqualTo((200, "image/svg+xml")));
        await clerk.GotoAsync("/tasks/todo");
        await Expect(clerk).ToHaveTitleAsync(new Regex("^待办事项 - "));
    }

    private static string Today() => TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Year() => Today()[..4];

    /// <summary>Moves the due date of the open step of a demo case ten days back, in the Host's SQLite file.</summary>
    private async Task PastDeadlineAsync(string correlationId)
    {
        await using var connection = new SqliteConnection($"Data Source={Host.DatabasePath}");
        await connection.OpenAsync();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE wf_tasks SET DueAt = $due WHERE Status = 'Open' AND InstanceId = (SELECT Id FROM wf_instances WHERE CorrelationId = $case)";
        update.Parameters.AddWithValue("$due", TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-10).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        update.Parameters.AddWithValue("$case", correlationId);
        Assert.That(await update.ExecuteNonQueryAsync(), Is.GreaterThan(0), $"{correlationId} has an open step");
    }

    /// <summary>The open task of the demo's subscription waiting at <paramref name="activityId"/> (DEMO-SUB-002 at 平台交换).</summary>
    private static async Task<Guid> OpenTaskAtAsync(IPage page, string activityId)
    {
        var todo = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/api/tasks/todo?pageSize=200")).TextAsync()).RootElement;
        return todo.GetProperty("items").EnumerateArray()
            .First(t => t.GetProperty("definitionId").GetString() == "subscription" && t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
    }
}
