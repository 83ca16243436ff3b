using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Accounts.FrontEnd;

/// <summary>
/// The front-end server's provider registration: the one place that chooses by <c>FrontEnd:Provider</c> (its default,
/// its settings' checks, and the PostgreSQL or SQLite implementation of each front-end service). The accounts and the
/// exchange modules register their services through it.
/// </summary>
internal static class FrontEndProvider
{
    /// <summary>The front end defaults to the product's own database: its provider and, on PostgreSQL, its connection string.</summary>
    public static void DefaultFrom(FrontEndOptions frontEnd, WorkflowDatabaseOptions database)
    {
        frontEnd.Provider ??= database.Provider;
        if (string.IsNullOrWhiteSpace(frontEnd.ConnectionString) && frontEnd.Provider == DatabaseProvider.PostgreSql &&
            database.Provider == DatabaseProvider.PostgreSql)
            frontEnd.ConnectionString = database.ConnectionString;
    }

    /// <summary>The implementation of <typeparamref name="TService"/> for the configured provider.</summary>
    public static TService Create<TService, TPostgres, TSqlite>(IServiceProvider services)
        where TService : class where TPostgres : class, TService where TSqlite : class, TService =>
        services.GetRequiredService<IOptions<FrontEndOptions>>().Value.Provider == DatabaseProvider.PostgreSql
            ? ActivatorUtilities.CreateInstance<TPostgres>(services)
            : ActivatorUtilities.CreateInstance<TSqlite>(services);

    /// <summary>The settings each provider needs, named as the configuration names them.</summary>
    public static IEnumerable<string> Check(FrontEndOptions options)
    {
        if (options.Provider is { } provider && !Enum.IsDefined(provider))
            yield return $"FrontEnd:Provider '{provider}' is not supported; use PostgreSql or Sqlite.";
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
                yield return "FrontEnd:ConnectionString is required when FrontEnd:Provider is PostgreSql and the product's database is not.";
            else if (PostgresConnectionStringError(options.ConnectionString) is { } error)
                yield return $"FrontEnd:ConnectionString is not a PostgreSQL connection string: {error}";
        }

        if (options.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.SqliteFolder))
            yield return "FrontEnd:SqliteFolder is empty.";
    }

    private static string? PostgresConnectionStringError(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
