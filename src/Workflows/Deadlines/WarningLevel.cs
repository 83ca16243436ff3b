using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>How an inbox shows a clock at an instant.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WarningLevel>))]
public enum WarningLevel
{
    Normal,

    /// <summary>At most the clock's <see cref="LegalClock.YellowWhenRemaining"/> working days remain.</summary>
    Yellow,

    /// <summary>Overdue: past the deadline.</summary>
    Red,

    /// <summary>With the applicant for correction; the clock does not run.</summary>
    Paused,

    Stopped,
}
