using System.Globalization;
using System.Security.Claims;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;

namespace PdsWorkflow.Host.Api;

public static class CalendarEndpoints
{
    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var calendar = app.MapGroup("/api/calendar").WithTags("Calendar").RequireAuthorization();
        calendar.MapGet("/deadline", (string from, int days, WorkingDayCalendar cal) =>
        {
            if (!DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.None, out var receivedAt))
                return Problems.Field("from", "invalid_instant", "收件时间格式错误，应为 ISO 8601，例如 2026-02-13T10:00:00+08:00。");
            if (days is < 0 or > 3650)
                return Problems.Field("days", "invalid_working_days", "工作日数应在 0 到 3650 之间。");
            if (receivedAt.Year is < WorkingDayCalendar.FirstSupportedYear or >= WorkingDayCalendar.LastSupportedYear)
                return Problems.Field("from", "year_not_supported", $"只支持 {WorkingDayCalendar.FirstSupportedYear} 至 {WorkingDayCalendar.LastSupportedYear - 1} 年。");
            return Results.Ok(DeadlineView.From(cal.AddWorkingDays(receivedAt, days)));
        });
        calendar.MapGet("/years/{year:int}", (int year, WorkingDayCalendar cal) =>
            year is < WorkingDayCalendar.FirstSupportedYear or > WorkingDayCalendar.LastSupportedYear
                ? Problems.Field("year", "year_not_supported", $"只支持 {WorkingDayCalendar.FirstSupportedYear} 至 {WorkingDayCalendar.LastSupportedYear} 年。")
                : Results.Ok(Year(cal, year)));
        calendar.MapGet("/notices", (WorkingDayCalendar cal) => Results.Ok(cal.Notices));
        calendar.MapPost("/notices", async (HttpRequest request, HolidayNoticeService notices, ClaimsPrincipal user, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var result = await notices.UploadAsync(await reader.ReadToEndAsync(ct), user.UserId(), ct);
            await request.HttpContext.LogSecurityAsync(SecurityEventKinds.CalendarNoticeUploaded, result.Succeeded ? SecurityResults.Success : SecurityResults.Refused,
                result.Succeeded ? $"calendar:{result.Notice!.Year}" : "calendar",
                result.Succeeded ? $"{result.Notice!.NoticeNumber}；重算 {result.Recomputed.Count} 个时限" : result.Errors[0].Message);
            if (!result.Succeeded)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "节假日通知有误", detail: result.Errors[0].Message,
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = "notice_invalid",
                        ["errors"] = result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                    });
            return Results.Ok(new { result.Notice!.Year, result.Notice.NoticeNumber, result.ReplacedProvisional, result.Recomputed });
        }).RequireAuthorization(p => p.RequireRole(Roles.PlatformAdmin));
        return app;
    }

    public static IReadOnlyList<DayView> Year(WorkingDayCalendar calendar, int year)
    {
        var days = new List<DayView>(366);
        for (var date = new DateOnly(year, 1, 1); date.Year == year; date = date.AddDays(1)) days.Add(DayView.From(calendar.GetDay(date)));
        return days;
    }
}
