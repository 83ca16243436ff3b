using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>What a resubmission after a return for correction (补正) does to the clock.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CorrectionRule>))]
public enum CorrectionRule
{
    /// <summary>
    /// The statutory default: the full limit counts again from the resubmission, because the work is only received
    /// when the materials are complete (行政许可法 第三十二条). The working days used before are recorded, no longer
    /// counted, and extensions granted against the old period lapse with it.
    /// </summary>
    Restart,

    /// <summary>The working days used before are kept, and only the rest count from the resubmission.</summary>
    Pause,
}
