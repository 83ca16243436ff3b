namespace PdsWorkflow.Activities;
internal static class Placeholder { }
