using System.Collections.Immutable;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// Chinese working days: weekends and statutory holidays off, as moved by the State Council's yearly notices.
/// Years without a notice are computed from the statute and marked provisional.
/// </summary>
/// <remarks>
/// Thread-safe. Readers take the current immutable snapshot once per call and never lock; loading a notice builds
/// a new snapshot under a lock and publishes it with one reference write.
/// </remarks>
public sealed class WorkingDayCalendar
{
    public const int FirstSupportedYear = SupportedYears.First;
    public const int LastSupportedYear = SupportedYears.Last;

    private readonly Lock _loadLock = new();
    private readonly TimeZoneInfo _timeZone;
    private readonly TimeOnly _endOfDay;
    private volatile CalendarSnapshot _snapshot;

    /// <exception cref="ArgumentException">A notice is invalid, or two are for the same year.</exception>
    public WorkingDayCalendar(IEnumerable<HolidayNotice> notices, WorkingDayCalendarOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(notices);
        options ??= new WorkingDayCalendarOptions();
        if (!CalendarTimeZone.TryFind(options.TimeZoneId, out _timeZone))
        {
            throw new ArgumentException($"Unknown time zone '{options.TimeZoneId}'.", nameof(options));
        }

        _endOfDay = options.EndOfDay;
        var byYear = ImmutableSortedDictionary.CreateBuilder<int, HolidayNotice>();
        foreach (var notice in notices)
        {
            var errors = HolidayNoticeValidator.Validate(notice);
            if (errors.Count > 0)
            {
                throw new ArgumentException(
                    $"The {notice.Year} notice is invalid: {string.Join("; ", errors)}", nameof(notices));
            }

            if (!byYear.TryAdd(notice.Year, notice))
            {
                throw new ArgumentException($"Two notices for {notice.Year}.", nameof(notices));
            }
        }

        _snapshot = CalendarSnapshot.Create(byYear.ToImmutable());
    }

    /// <summary>Raised after a notice has been loaded, on the loading thread.</summary>
    public event EventHandler<NoticeLoadedEventArgs>? NoticeLoaded;

    /// <summary>The loaded notices, by year.</summary>
    public IReadOnlyList<HolidayNotice> Notices => _snapshot.NoticeList;

    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="FirstSupportedYear"/>..<see cref="LastSupportedYear"/>.</exception>
    public bool IsProvisional(int year) => _snapshot.Year(year).IsProvisional;

    /// <exception cref="ArgumentOutOfRangeException">The date's year is not supported.</exception>
    public DayInfo GetDay(DateOnly date) => _snapshot.Day(date);

    /// <summary>The deadline <paramref name="workingDays"/> working days after the day of receipt, counted in the calendar's time zone.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative <paramref name="workingDays"/>, or a date outside the supported years.</exception>
    public DeadlineResult AddWorkingDays(DateTimeOffset receivedAt, int workingDays) =>
        DeadlineCounter.AddWorkingDays(_snapshot, _timeZone, _endOfDay, receivedAt, workingDays);

    /// <summary>Working days after <paramref name="from"/>'s date up to and including <paramref name="to"/>'s.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is earlier than <paramref name="from"/>, or a date outside the supported years.</exception>
    public WorkingDaysResult WorkingDaysBetween(DateTimeOffset from, DateTimeOffset to) =>
        DeadlineCounter.WorkingDaysBetween(_snapshot, _timeZone, from, to);

    /// <summary>Adds a notice, or replaces its year's; an invalid notice is refused with the reasons and changes nothing.</summary>
    public NoticeLoadResult LoadNotice(HolidayNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var errors = HolidayNoticeValidator.Validate(notice);
        if (errors.Count > 0)
        {
            return NoticeLoadResult.Refused(notice, errors);
        }

        NoticeLoadResult result;
        lock (_loadLock)
        {
            var before = _snapshot;
            var after = before.With(notice);
            var touchedYears = Enumerable.Range(notice.Year - 1, 3).Where(SupportedYears.Contains).ToList();
            var setYears = notice.Periods
                .SelectMany(period => period.DaysOff().Concat(period.MakeupWorkdays))
                .Select(day => day.Year)
                .Append(notice.Year)
                .ToHashSet();
            result = new NoticeLoadResult(
                notice,
                [],
                before.Notices.GetValueOrDefault(notice.Year),
                [.. touchedYears.Where(year => setYears.Contains(year) && before.Year(year).IsProvisional)],
                [.. touchedYears.Where(year => !before.Year(year).ClassifiesLike(after.Year(year)))]);
            _snapshot = after;
        }

        NoticeLoaded?.Invoke(this, new NoticeLoadedEventArgs(result));
        return result;
    }
}
