namespace PdsWorkflow.Workflows;
internal static class Placeholder { }
