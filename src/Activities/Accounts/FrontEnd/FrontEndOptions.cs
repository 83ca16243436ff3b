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
    public ValidateOptionsResult Validate(string? name, FrontEndOptions options) =>
        FrontEndProvider.Check(options).ToList() is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
}
