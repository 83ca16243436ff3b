using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities;

/// <summary>
/// One activity type. Inputs are <see cref="Input{T}"/> properties marked <see cref="InputAttribute"/>, outputs are
/// <see cref="Output{T}"/> properties marked <see cref="OutputAttribute"/>; the engine creates a fresh instance for each
/// execution and binds the inputs from the definition. An execution either completes with outcomes, creates a
/// bookmark and waits, or throws (which becomes an incident).
/// </summary>
public abstract class Activity
{
    public const string Done = "Done";

    protected internal abstract ValueTask ExecuteAsync(ActivityExecutionContext context);

    /// <summary>Called when one of the bookmarks this activity created is resumed.</summary>
    protected internal virtual ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }

    /// <summary>The outcomes this node can complete with; override when they depend on the node's inputs.</summary>
    protected internal virtual IReadOnlyList<string> GetOutcomes(ActivityNode node, ActivityDescriptor descriptor) => descriptor.Outcomes;

    /// <summary>Checks beyond the descriptor's (required inputs, expression syntax) that only this type knows.</summary>
    protected internal virtual IEnumerable<DefinitionError> Validate(ActivityNode node, ActivityValidationContext context) => [];
}

/// <summary>What an activity's own validation may use: the definition, the expression parser, and the registries modules fill.</summary>
public sealed class ActivityValidationContext(WorkflowDefinition definition, Func<string, string?> checkSyntax, IServiceProvider services)
{
    public WorkflowDefinition Definition { get; } = definition;

    /// <summary>A registry the activity checks names against (the assignment scopes, say).</summary>
    public T GetRequiredService<T>() where T : notnull => services.GetRequiredService<T>();

    /// <summary>Returns a syntax error message, or null when the script parses.</summary>
    public string? CheckSyntax(string script) => checkSyntax(script);
}
