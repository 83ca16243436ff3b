using System.Globalization;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Exports;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Statistics;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// 001 第二十二条 for the bureau: authorisations and use of tables, files and interfaces per department and period, the
/// overdue authorisations, the data objections of a period with those reported late (000 三、3), and the cases received
/// and finished with the on-time rate, handling time and late steps (<see cref="CaseStatistics"/>); JSON, or a download
/// as CSV (<c>format=csv</c>) or Excel (<c>format=xlsx</c>) through the one export writer.
/// </summary>
public static class StatisticsEndpoints
{
    public static IEndpointRouteBuilder MapStatisticsEndpoints(this IEndpointRouteBuilder app)
    {
        var statistics = app.MapGroup("/api/statistics").WithTags("Statistics")
            .RequireAuthorization(p => p.RequireRole(Roles.PlatformAdmin, Roles.PlatformSupport, Roles.DataResourcesSection, Roles.Auditor));
        statistics.MapGet("/exchange", async (string from, string to, string? format, ExchangeStatistics stats, HttpContext context, CancellationToken ct) =>
        {
            if (BadPeriod(from, to, out var period) is { } error) return error;
            var report = await stats.ReportAsync(period, ct);
            var (headers, rows) = ExchangeStatistics.Table(report);
            return await ExportAsync(context, format, report, headers, rows, $"共享授权与使用统计_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}");
        });
        statistics.MapGet("/objections", async (string from, string to, string? format, ObjectionStatistics stats, HttpContext context, CancellationToken ct) =>
        {
            if (BadPeriod(from, to, out var period) is { } error) return error;
            var report = await stats.ReportAsync(period, ct);
            var (headers, rows) = ObjectionStatistics.Table(report);
            return await ExportAsync(context, format, report, headers, rows, $"数据异议反馈统计_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}");
        });
        statistics.MapGet("/cases", async (string from, string to, string? format, CaseStatistics stats, HttpContext context, CancellationToken ct) =>
        {
            if (BadPeriod(from, to, out var period) is { } error) return error;
            var report = await stats.ReportAsync(period.From, period.To, ct);
            var (headers, rows) = report.Table();
            return await ExportAsync(context, format, report, headers, rows, $"办件统计_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}");
        });
        statistics.MapGet("/overdue", async (string? format, ExchangeStatistics stats, HttpContext context, CancellationToken ct) =>
        {
            var overdue = await stats.OverdueAsync(ct);
            var (headers, rows) = ExchangeStatistics.Table(overdue);
            return await ExportAsync(context, format, overdue, headers, rows, "逾期授权清单");
        });
        return app;
    }

    /// <summary>A file download is an export of the platform's data: logged (GB/T 22239-2019 安全审计) before it is answered.</summary>
    private static async Task<IResult> ExportAsync(HttpContext context, string? format, object json, IReadOnlyList<string> headers,
        IReadOnlyList<IReadOnlyList<object?>> rows, string name)
    {
        if (format?.ToLowerInvariant() is "csv" or "xlsx")
            await context.LogSecurityAsync(SecurityEventKinds.Export, SecurityResults.Success, "export:statistics", $"{name}.{format.ToLowerInvariant()}，{rows.Count} 行");
        return Export(format, json, headers, rows, name);
    }

    private static IResult Export(string? format, object json, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> rows, string name) =>
        format?.ToLowerInvariant() switch
        {
            null or "" or "json" => Results.Ok(json),
            "csv" => Results.File(TabularFile.Csv(headers, rows), TabularFile.CsvContentType, name + ".csv"),
            "xlsx" => Results.File(TabularFile.Xlsx(name, headers, rows), TabularFile.XlsxContentType, name + ".xlsx"),
            _ => Problems.Field("format", "invalid_format", "导出格式应为 json、csv 或 xlsx。"),
        };

    /// <summary>The refusal of a period that is not two days CCYY-MM-DD, in order, less than <see cref="ExchangeStatistics.MaxPeriodDays"/> apart; else null.</summary>
    private static IResult? BadPeriod(string from, string to, out StatisticsPeriod period)
    {
        period = null!;
        if (!TryDate(from, out var start)) return Problems.Field("from", "invalid_date", "统计起始日期格式错误，应为 yyyy-MM-dd。");
        if (!TryDate(to, out var end)) return Problems.Field("to", "invalid_date", "统计截止日期格式错误，应为 yyyy-MM-dd。");
        if (OutsideCalendar(start)) return Problems.Field("from", "invalid_date", SupportedDates("统计起始日期"));
        if (OutsideCalendar(end)) return Problems.Field("to", "invalid_date", SupportedDates("统计截止日期"));
        if (end < start || end.DayNumber - start.DayNumber >= ExchangeStatistics.MaxPeriodDays)
            return Problems.Field("to", "invalid_period", $"统计截止日期不能早于起始日期，统计期间不能超过 {ExchangeStatistics.MaxPeriodDays} 天。");
        period = new StatisticsPeriod(start, end);
        return null;
    }

    private static bool OutsideCalendar(DateOnly date) =>
        date.Year is < WorkingDayCalendar.FirstSupportedYear or > WorkingDayCalendar.LastSupportedYear;

    private static string SupportedDates(string label) =>
        $"{label}应在 {WorkingDayCalendar.FirstSupportedYear}-01-01 至 {WorkingDayCalendar.LastSupportedYear}-12-31 之间。";

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
