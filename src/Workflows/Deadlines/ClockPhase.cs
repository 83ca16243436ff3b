using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Deadlines;

[JsonConverter(typeof(JsonStringEnumConverter<ClockPhase>))]
public enum ClockPhase
{
    /// <summary>The obligated party has the work; its working days are being used.</summary>
    Running,

    /// <summary>Returned for correction (补正): the work is with the applicant and nothing is charged.</summary>
    WithApplicant,

    /// <summary>The stage or case is finished; the figures are final.</summary>
    Stopped,
}
