using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Deadlines;

public sealed record NoticeUploadResult(HolidayNotice? Notice, IReadOnlyList<NoticeValidationError> Errors, bool ReplacedProvisional,
    IReadOnlyList<DeadlineChange> Recomputed)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Holiday notices uploaded at run time: validated, stored in the database (so other nodes and restarts have them),
/// loaded into the calendar, and followed by the recomputation of the pending deadlines that depended on them.
/// </summary>
public sealed class HolidayNoticeService(WorkingDayCalendar calendar, WorkflowStore store, DeadlineRecalculator recalculator, TimeProvider clock)
{
    public async Task<NoticeUploadResult> UploadAsync(string json, string actor, CancellationToken cancellationToken = default)
    {
        var parsed = HolidayNoticeReader.Parse(json, "upload");
        if (!parsed.IsValid) return new NoticeUploadResult(null, parsed.Errors, false, []);
        var notice = parsed.Notice!;
        var loaded = calendar.LoadNotice(notice);
        if (!loaded.Succeeded) return new NoticeUploadResult(notice, loaded.Errors, false, []);

        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            var record = await db.CalendarNotices.FirstOrDefaultAsync(n => n.Year == notice.Year, cancellationToken);
            if (record is null) db.CalendarNotices.Add(record = new NoticeRecord { Year = notice.Year, NoticeNumber = notice.NoticeNumber, Json = json, LoadedBy = actor });
            record.NoticeNumber = notice.NoticeNumber;
            record.Json = json;
            record.LoadedBy = actor;
            record.LoadedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new NoticeUploadResult(notice, [], loaded.ReplacedProvisional, await recalculator.RecomputeStaleAsync(cancellationToken));
    }

    /// <summary>Loads the stored notices this node's calendar does not have yet; returns how many it loaded.</summary>
    public async Task<int> SyncAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var stored = await db.CalendarNotices.AsNoTracking().ToListAsync(cancellationToken);
        var known = calendar.Notices.ToDictionary(n => n.Year, n => n.NoticeNumber);
        var loaded = 0;
        foreach (var record in stored.Where(r => known.GetValueOrDefault(r.Year) != r.NoticeNumber))
        {
            var parsed = HolidayNoticeReader.Parse(record.Json, $"database:{record.Year}");
            if (parsed.IsValid && calendar.LoadNotice(parsed.Notice!).Succeeded) loaded++;
        }

        return loaded;
    }
}
