namespace PdsWorkflow.Workflows.Calendar;

public readonly record struct StatutoryDay(DateOnly Date, string Holiday);
