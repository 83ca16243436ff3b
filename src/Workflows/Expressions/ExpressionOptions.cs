using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Expressions;

/// <summary>The JavaScript sandbox's limits, bound from the <c>Expressions</c> configuration section.</summary>
public sealed class ExpressionOptions
{
    public const string Section = "Expressions";

    public int MaxStatements { get; set; } = 10_000;
    public int MaxRecursionDepth { get; set; } = 64;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes one evaluation may allocate (Jint's memory limit counts the evaluating thread's allocations).</summary>
    public long MaxMemoryBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>Names every bad <c>Expressions</c> setting at start-up.</summary>
internal sealed class ExpressionOptionsValidator : IValidateOptions<ExpressionOptions>
{
    public ValidateOptionsResult Validate(string? name, ExpressionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxStatements < 1) failures.Add($"Expressions:MaxStatements '{options.MaxStatements}' must be at least 1.");
        if (options.MaxRecursionDepth < 1) failures.Add($"Expressions:MaxRecursionDepth '{options.MaxRecursionDepth}' must be at least 1.");
        if (options.Timeout <= TimeSpan.Zero) failures.Add($"Expressions:Timeout '{options.Timeout}' must be positive.");
        if (options.MaxMemoryBytes < 1024 * 1024) failures.Add($"Expressions:MaxMemoryBytes '{options.MaxMemoryBytes}' must be at least 1 MB (1048576).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
