namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>The clock after an operation, and the events the engine writes into the journal (already in its history).</summary>
public sealed record ClockChange(LegalClock Clock, IReadOnlyList<ClockEvent> Events);
