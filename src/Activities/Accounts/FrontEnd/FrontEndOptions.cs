using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Accounts.FrontEnd;

/// <summary>
/// Bound from the <c>FrontEnd</c> configuration section: the server holding the departments' front-end exchange
/// schemas (前置库). By default the product's own database (<c>Database:*</c>).
/// </summary>
public sealed class FrontEndOptions
{
    public const string Section = "FrontEnd";

    /// <summary>PostgreSql or Sqlite; defaults to <c>Database:Provider</c>.</summary>
    public DatabaseProvider? Provider { get; set; }

    /// <summary>A PostgreSQL connection string of a role with CREATEROLE; defaults to <c>Database:ConnectionString</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The server as the departments reach it, for the credentials letter; defaults to the connection string's host, port and database.</summary>
    public string? Address { get; set; }

    /// <summary>SQLite: one database file per department here.</summary>
    public string SqliteFolder { get; set; } = "data/frontend";
}

/// <summary>Names every bad <c>FrontEnd</c> setting at start-up.</summary>
internal sealed class FrontEndOptionsValidator : IValidateOptions<FrontEndOptions>
{
    public ValidateOptionsResult Validate(string? name, FrontEndOptions options)
    {
        var failures = new List<string>();
        if (options.Provider is { } provider && !Enum.IsDefined(provider))
            failures.Add($"FrontEnd:Provider '{provider}' is not supported; use PostgreSql or Sqlite.");
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
                failures.Add("FrontEnd:ConnectionString is required when FrontEnd:Provider is PostgreSql and the product's database is not.");
            else
            {
                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"FrontEnd:ConnectionString is not a PostgreSQL connection string: {ex.Message}");
                }
            }
        }

        if (options.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.SqliteFolder))
            failures.Add("FrontEnd:SqliteFolder is empty.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
