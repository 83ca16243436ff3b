using Microsoft.Extensions.Options;
using Npgsql;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts.FrontEnd;

/// <summary>
/// Front-end accounts as PostgreSQL login roles. A new account is <c>db_&lt;code&gt;_NN</c>, commented with its issuance
/// marker; it may connect, use its department's schema <c>fe_&lt;code&gt;</c> (created when missing) and read and write
/// the tables the platform creates there (present and future, through default privileges), and nothing else. The
/// password is sent as a SCRAM verifier. Everything runs in one transaction under an advisory lock, so two issuers do
/// not pick the same name and a failure leaves no half-made role.
/// </summary>
public sealed class PostgresFrontEndDatabase(IOptions<FrontEndOptions> options) : IFrontEndDatabase
{
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtext('pdsworkflow.frontend-accounts'))";

    public async Task<FrontEndAccount> IssueAsync(FrontEndAccountRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, LockSql, cancellationToken);

        var schema = FrontEndNames.Schema(request.DepartmentCode);
        var verifier = Literal(ScramSecret.For(request.Password));
        string name;
        string done;
        if (request.Action == AccountRequestType.Reset)
        {
            name = request.ExistingAccount!;
            var marker = await MarkerOfAsync(connection, name, cancellationToken);
            if (marker is null) throw new WorkflowFaultException($"前置库中没有账号“{name}”，无法重置密码。");
            if (!marker.StartsWith(Issuance.DepartmentMarker(request.DepartmentCode), StringComparison.Ordinal))
                throw new WorkflowFaultException($"账号“{name}”不是平台为本部门开通的前置库账号，不能由本申请重置。");
            await ExecuteAsync(connection, $"ALTER ROLE {Identifier(name)} WITH LOGIN PASSWORD {verifier}", cancellationToken);
            done = $"已重置登录角色 {name} 的密码";
        }
        else if (await RoleWithMarkerAsync(connection, request.Issuance.Marker, cancellationToken) is { } earlier)
        {
            name = earlier;
            await ExecuteAsync(connection, $"ALTER ROLE {Identifier(name)} WITH LOGIN PASSWORD {verifier}", cancellationToken);
            done = $"登录角色 {name} 已由本次办理先前创建（重试），已重新设置同一密码";
        }
        else
        {
            name = FrontEndNames.NextAccount(request.DepartmentCode, await RolesLikeAsync(connection, FrontEndNames.AccountPrefix(request.DepartmentCode), cancellationToken));
            await ExecuteAsync(connection, $"CREATE ROLE {Identifier(name)} WITH LOGIN PASSWORD {verifier}", cancellationToken);
            await ExecuteAsync(connection, $"COMMENT ON ROLE {Identifier(name)} IS {Literal(request.Issuance.Marker)}", cancellationToken);
            done = $"已新建登录角色 {name}";
        }

        await GrantAsync(connection, name, schema, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var server = settings.Address ?? $"{builder.Host}:{builder.Port}/{builder.Database ?? "postgres"}";
        return new FrontEndAccount(name, schema, server, "PostgreSQL", $"前置库（PostgreSQL {server}）：{done}，可用模式 {schema}");
    }

    /// <summary>Connect, use the department's schema, and read and write its tables: now and those created later by the platform.</summary>
    private static async Task GrantAsync(NpgsqlConnection connection, string role, string schema, CancellationToken cancellationToken)
    {
        var database = await ScalarAsync(connection, "SELECT current_database()", cancellationToken) ?? throw new InvalidOperationException("No current database.");
        var r = Identifier(role);
        var s = Identifier(schema);
        foreach (var sql in new[]
                 {
                     $"CREATE SCHEMA IF NOT EXISTS {s}",
                     $"GRANT CONNECT ON DATABASE {Identifier(database)} TO {r}",
                     $"GRANT USAGE ON SCHEMA {s} TO {r}",
                     $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
                     $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
                     $"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
                     $"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
                 })
        {
            await ExecuteAsync(connection, sql, cancellationToken);
        }
    }

    private static async Task<string?> MarkerOfAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = $1", connection);
        command.Parameters.AddWithValue(role);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<string?> RoleWithMarkerAsync(NpgsqlConnection connection, string marker, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') = $1 ORDER BY rolname LIMIT 1", connection);
        command.Parameters.AddWithValue(marker);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<List<string>> RolesLikeAsync(NpgsqlConnection connection, string prefix, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", connection);
        command.Parameters.AddWithValue(prefix);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A double-quoted identifier (utility statements take no parameters).</summary>
    internal static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A single-quoted literal with standard_conforming_strings (the default since PostgreSQL 9.1).</summary>
    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
