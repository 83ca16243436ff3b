namespace PdsWorkflow.Workflows.Calendar;

internal readonly record struct StatutoryDay(DateOnly Date, string Holiday);
