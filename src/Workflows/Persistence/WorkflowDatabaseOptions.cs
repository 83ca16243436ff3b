using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Bound from the <c>Database</c> configuration section.</summary>
public sealed class WorkflowDatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "Data Source=data/pdsworkflow.db";
}

public sealed class WorkflowDatabaseOptionsValidator : IValidateOptions<WorkflowDatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowDatabaseOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
            failures.Add($"Database:Provider '{options.Provider}' is not supported; use Sqlite or PostgreSql.");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            failures.Add("Database:ConnectionString is empty.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
