using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Exports;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The auditor reads the security log (审计员, 三员分立): search by time, actor, kind, result and object, and export as CSV or
/// Excel (the export is itself an audited event). There is no endpoint that changes or deletes a row.
/// </summary>
public static class SecurityLogEndpoints
{
    public static IEndpointRouteBuilder MapSecurityLogEndpoints(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/api/security-log").WithTags("Security log").RequireAuthorization(p => p.RequireRole(Roles.Auditor));
        log.MapGet("", async (DateTimeOffset? from, DateTimeOffset? to, string? actor, string? kind, string? result, string? @object, int? page, int? pageSize,
                SecurityLogQueries queries, CancellationToken ct) =>
            Check(from, to, kind, result) ?? Results.Ok(await queries.SearchAsync(Search(from, to, actor, kind, result, @object) with
            {
                Page = page ?? 1, PageSize = pageSize ?? 50,
            }, ct)));
        log.MapGet("/kinds", () => Results.Ok(new
        {
            kinds = SecurityEventKinds.DisplayNames.Select(k => new { kind = k.Key, name = k.Value }),
            results = SecurityResults.DisplayNames.Select(r => new { result = r.Key, name = r.Value }),
        }));
        log.MapGet("/export", async (DateTimeOffset? from, DateTimeOffset? to, string? actor, string? kind, string? result, string? @object, string? format,
            SecurityLogQueries queries, SecurityLog securityLog, HttpContext context, TimeProvider clock, CancellationToken ct) =>
        {
            if (Check(from, to, kind, result) is { } bad) return bad;
            if (format is not (null or "csv" or "xlsx")) return Problems.Field("format", "invalid_format", "导出格式应为 csv 或 xlsx。");
            var search = Search(from, to, actor, kind, result, @object);
            var (rows, total) = await queries.ExportAsync(search, ct);
            var filter = $"from={from:O} to={to:O} actor={actor} kind={kind} result={result} object={@object}";
            if (total > SecurityLogQueries.MaxExportRows)
            {
                await securityLog.WriteAsync(context.SecurityEvent(SecurityEventKinds.Export, SecurityResults.Refused, "export:security-log", $"{total} 行；{filter}"), ct);
                return Problems.Field("to", "export_too_large", $"符合条件的记录有 {total} 条，超过单次导出上限 {SecurityLogQueries.MaxExportRows} 条，请缩小时间范围。");
            }

            await securityLog.WriteAsync(context.SecurityEvent(SecurityEventKinds.Export, SecurityResults.Success, "export:security-log",
                $"{format ?? "csv"}，{rows.Count} 行；{filter}"), ct);
            string[] headers = ["序号", "时间", "事件", "结果", "操作人", "来源地址", "对象", "说明"];
            var table = rows.Select(r => (IReadOnlyList<object?>)[r.Sequence, r.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss",
                System.Globalization.CultureInfo.InvariantCulture), r.KindName, r.ResultName, r.Actor, r.SourceAddress, r.Object, r.Detail]).ToList();
            var name = $"安全审计日志_{clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyyMMddHHmmss}";
            return format == "xlsx"
                ? Results.File(TabularFile.Xlsx("安全审计日志", headers, table), TabularFile.XlsxContentType, name + ".xlsx")
                : Results.File(TabularFile.Csv(headers, table), TabularFile.CsvContentType, name + ".csv");
        });
        return app;
    }

    private static SecurityLogSearch Search(DateTimeOffset? from, DateTimeOffset? to, string? actor, string? kind, string? result, string? @object) =>
        new() { From = from, To = to, Actor = actor, Kind = kind, Result = result, Object = @object };

    private static IResult? Check(DateTimeOffset? from, DateTimeOffset? to, string? kind, string? result)
    {
        if (from is { } f && to is { } t && t < f) return Problems.Field("to", "invalid_period", "截止时间不能早于起始时间。");
        if (!string.IsNullOrEmpty(kind) && !SecurityEventKinds.DisplayNames.ContainsKey(kind)) return Problems.Field("kind", "unknown_kind", $"没有事件类型“{kind}”。");
        if (!string.IsNullOrEmpty(result) && !SecurityResults.DisplayNames.ContainsKey(result)) return Problems.Field("result", "unknown_result", $"没有结果类型“{result}”。");
        return null;
    }
}
