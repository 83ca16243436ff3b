using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Deadlines;

[JsonConverter(typeof(JsonStringEnumConverter<ClockEventKind>))]
public enum ClockEventKind
{
    Started,
    ReturnedForCorrection,
    Resubmitted,
    ExtensionRequested,
    ExtensionApproved,
    ExtensionRejected,

    /// <summary>A pending extension request dropped because the work went back to the applicant or the clock stopped.</summary>
    ExtensionLapsed,

    Stopped,

    /// <summary>The deadline was derived again from the history after the calendar changed.</summary>
    Recomputed,
}
