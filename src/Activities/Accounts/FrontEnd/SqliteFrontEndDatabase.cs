using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts.FrontEnd;

/// <summary>
/// Front-end accounts on the embedded SQLite default. SQLite has no logins: each department gets its own database
/// file <c>fe_&lt;code&gt;.db</c> (its "schema"), and the account is recorded in that file's <c>pds_accounts</c> table with a
/// PBKDF2 hash of its password, for an exchange gateway in front of the file to check. Access to the file itself is a
/// matter of file permissions; the journal says so. Use PostgreSQL (<c>FrontEnd:Provider</c>) for real logins.
/// </summary>
public sealed class SqliteFrontEndDatabase(IOptions<FrontEndOptions> options, TimeProvider clock) : IFrontEndDatabase
{
    private const int HashIterations = 100_000;

    public async Task<FrontEndAccount> IssueAsync(FrontEndAccountRequest request, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.SqliteFolder);
        Directory.CreateDirectory(folder);
        var schema = FrontEndNames.Schema(request.DepartmentCode);
        var file = Path.Combine(folder, schema + ".db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS pds_accounts (
                name TEXT PRIMARY KEY,
                marker TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                password_changed_at TEXT NOT NULL)
            """, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var hash = Hash(request.Password);
        string name;
        string done;
        if (request.Action == AccountRequestType.Reset)
        {
            name = request.ExistingAccount!;
            var marker = await ScalarAsync(transaction, "SELECT marker FROM pds_accounts WHERE name = $p", name, cancellationToken);
            if (marker is null) throw new WorkflowFaultException($"前置库文件 {schema}.db 中没有账号“{name}”，无法重置密码。");
            if (!marker.StartsWith(Issuance.DepartmentMarker(request.DepartmentCode), StringComparison.Ordinal))
                throw new WorkflowFaultException($"账号“{name}”不是平台为本部门开通的前置库账号，不能由本申请重置。");
            done = $"已重置账号 {name} 的密码";
        }
        else if (await ScalarAsync(transaction, "SELECT name FROM pds_accounts WHERE marker = $p", request.Issuance.Marker, cancellationToken) is { } earlier)
        {
            name = earlier;
            done = $"账号 {name} 已由本次办理先前记录（重试），已重新设置同一密码";
        }
        else
        {
            var taken = new List<string>();
            await using (var list = new SqliteCommand("SELECT name FROM pds_accounts", connection, transaction))
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) taken.Add(reader.GetString(0));
            name = FrontEndNames.NextAccount(request.DepartmentCode, taken);
            await using var insert = new SqliteCommand(
                "INSERT INTO pds_accounts (name, marker, password_hash, created_at, password_changed_at) VALUES ($name, $marker, $hash, $now, $now)", connection, transaction);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$marker", request.Issuance.Marker);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            done = $"已记录新账号 {name}";
        }

        await using (var update = new SqliteCommand("UPDATE pds_accounts SET password_hash = $hash, password_changed_at = $now WHERE name = $name", connection, transaction))
        {
            update.Parameters.AddWithValue("$hash", hash);
            update.Parameters.AddWithValue("$now", now);
            update.Parameters.AddWithValue("$name", name);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new FrontEndAccount(name, schema, file, "SQLite", $"前置库（SQLite 文件 {file}）：{done}。SQLite 没有登录账号，账号与密码散列记录在该文件的 pds_accounts 表，文件访问由操作系统权限控制");
    }

    /// <summary><c>pbkdf2-sha256$iterations$salt$hash</c>, base64.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, HashIterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${HashIterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations)) return false;
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static async Task<string?> ScalarAsync(SqliteTransaction transaction, string sql, string value, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, transaction.Connection, transaction);
        command.Parameters.AddWithValue("$p", value);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
