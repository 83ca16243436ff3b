namespace PdsWorkflow.Workflows.Runtime;

public static class WorkflowStatus
{
    /// <summary>Executing a burst (only seen inside a transaction).</summary>
    public const string Running = "Running";

    /// <summary>Waiting on one or more bookmarks.</summary>
    public const string Suspended = "Suspended";

    public const string Finished = "Finished";

    /// <summary>An activity failed beyond its retry policy; an open incident says why.</summary>
    public const string Faulted = "Faulted";

    public const string Cancelled = "Cancelled";

    public static bool IsTerminal(string status) => status is Finished or Cancelled;
}

public static class BookmarkStatus
{
    public const string Open = "Open";
    public const string Resumed = "Resumed";
    public const string Cancelled = "Cancelled";
}

public static class IncidentStatus
{
    /// <summary>Waiting for an operator.</summary>
    public const string Open = "Open";

    /// <summary>The retry policy scheduled another attempt.</summary>
    public const string RetryScheduled = "RetryScheduled";

    public const string Resolved = "Resolved";
}

/// <summary>Bookmark names the engine itself creates.</summary>
public static class BookmarkNames
{
    /// <summary>A failed execution waiting for its next attempt; due at the back-off time.</summary>
    public const string Retry = "Engine.Retry";

    /// <summary>A parent waiting for its child instance.</summary>
    public const string SubWorkflow = "Engine.SubWorkflow";

    public static string Event(string eventName) => "Event:" + eventName;
}

public static class JournalEvents
{
    public const string WorkflowStarted = "WorkflowStarted";
    public const string WorkflowFinished = "WorkflowFinished";
    public const string WorkflowFaulted = "WorkflowFaulted";
    public const string WorkflowCancelled = "WorkflowCancelled";
    public const string ActivityScheduled = "ActivityScheduled";
    public const string ActivityStarted = "ActivityStarted";
    public const string ActivityResumed = "ActivityResumed";
    public const string ActivitySuspended = "ActivitySuspended";
    public const string ActivityWaiting = "ActivityWaiting";
    public const string ActivityCompleted = "ActivityCompleted";
    public const string ActivityFaulted = "ActivityFaulted";
    public const string ActivityCancelled = "ActivityCancelled";
    public const string IncidentRetried = "IncidentRetried";
    public const string Note = "Note";

    /// <summary>The variables an execution set, by name (outputs); follows the execution's own entry.</summary>
    public const string VariablesChanged = "VariablesChanged";

    /// <summary>An instance moved to another version of its definition; inputs hold the step mapping.</summary>
    public const string InstanceMigrated = "InstanceMigrated";

    /// <summary>A command on a human task (claim, transfer, delegate…): outcome names the command.</summary>
    public const string TaskAction = "TaskAction";
}
