namespace PdsWorkflow.Workflows.Calendar;

/// <summary>How one day is classified, and why.</summary>
public readonly record struct DayInfo
{
    public DayInfo(DateOnly date, DayKind kind, string? holidayName, bool isProvisional)
    {
        if (kind is DayKind.Holiday or DayKind.MakeupWorkday && string.IsNullOrEmpty(holidayName))
        {
            throw new ArgumentException($"A {kind} day needs the name of its holiday.", nameof(holidayName));
        }

        Date = date;
        Kind = kind;
        HolidayName = kind is DayKind.Holiday or DayKind.MakeupWorkday ? holidayName : null;
        IsProvisional = isProvisional;
        Reason = kind switch
        {
            DayKind.Workday => "工作日",
            DayKind.Weekend => "周末",
            DayKind.Holiday => holidayName!,
            DayKind.MakeupWorkday => $"调休上班（{holidayName}）",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    public DateOnly Date { get; }

    public DayKind Kind { get; }

    /// <summary>The holiday the day belongs to: the day off itself, or the holiday a makeup workday is worked for.</summary>
    public string? HolidayName { get; }

    /// <summary>True when the day's year has no State Council notice and was computed from the statute.</summary>
    public bool IsProvisional { get; }

    /// <summary>zh-CN text shown to users: 工作日, 周末, the holiday name, or 调休上班（春节）.</summary>
    public string Reason { get => field ?? "工作日"; }

    public bool IsWorkingDay => Kind is DayKind.Workday or DayKind.MakeupWorkday;
}
