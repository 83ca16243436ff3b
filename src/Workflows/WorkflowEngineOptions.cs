using PdsWorkflow.Workflows.Activities;

namespace PdsWorkflow.Workflows;

public sealed class WorkflowEngineOptions
{
    /// <summary>Overrides of the retry policy declared on an activity type, by type name.</summary>
    public Dictionary<string, RetryPolicy> RetryPolicies { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the built-in poller resumes due timer and retry bookmarks. A module that resumes them itself
    /// (AddWorkflowTimers) turns it off, whichever order the two are registered in.
    /// </summary>
    public bool PollDueBookmarks { get; set; } = true;

    /// <summary>How often the built-in poller looks for due timer and retry bookmarks.</summary>
    public TimeSpan DueBookmarkPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of activity executions in one burst, to stop a definition that loops without waiting.</summary>
    public int MaxActivitiesPerBurst { get; set; } = 10_000;
}
