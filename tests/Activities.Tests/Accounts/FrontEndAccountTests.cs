using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Accounts;

/// <summary>
/// Form 2, database: on PostgreSQL a login role that reaches its department's exchange schema and no other, with the
/// password the contact received; on the SQLite default an account recorded in the department's own file.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class FrontEndAccountTests(DatabaseProvider provider) : AccountsTestBase(provider)
{
    protected override void ConfigureAccounts(IServiceCollection services) =>
        services.AddSingleton<IFrontEndDatabase>(sp => new CrashAfterEffect(sp.GetRequiredService<FaultSwitch>(),
            sp.GetRequiredService<IOptions<FrontEndOptions>>().Value.Provider == DatabaseProvider.PostgreSql
                ? ActivatorUtilities.CreateInstance<PostgresFrontEndDatabase>(sp)
                : ActivatorUtilities.CreateInstance<SqliteFrontEndDatabase>(sp)));

    [OneTimeTearDown]
    public async Task DropRolesAsync()
    {
        if (Provider != DatabaseProvider.PostgreSql) return;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        var database = connection.Database;
        foreach (var role in await RolesAsync(connection, UnitId))
        {
            // The product's role may not DROP OWNED BY a role it is not a member of: it revokes what it granted instead.
            await ExecuteAsync(connection, $"""
                REVOKE ALL ON ALL TABLES IN SCHEMA fe_{UnitId} FROM "{role}";
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA fe_{UnitId} FROM "{role}";
                REVOKE ALL ON SCHEMA fe_{UnitId} FROM "{role}";
                ALTER DEFAULT PRIVILEGES IN SCHEMA fe_{UnitId} REVOKE ALL ON TABLES FROM "{role}";
                ALTER DEFAULT PRIVILEGES IN SCHEMA fe_{UnitId} REVOKE ALL ON SEQUENCES FROM "{role}";
                REVOKE ALL ON DATABASE "{database}" FROM "{role}";
                DROP ROLE "{role}";
                """);
        }
    }

    [Test]
    public async Task New_database_account_logs_in_with_the_delivered_password_and_reaches_its_own_schema_only()
    {
        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("database"));
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage);
        await DispatchAsync();
        var (account, password, letter) = Delivered();

        Assert.That(account, Does.Match($"^db_{UnitId}_[0-9]{{2}}$"));
        Assert.That(letter, Does.Contain($"fe_{UnitId}"));
        Assert.That(await JournalTextAsync(run.InstanceId), Does.Contain(account).And.Not.Contain(password));
        if (Provider == DatabaseProvider.Sqlite)
        {
            Assert.That(SqliteFrontEndDatabase.Verify(password, await SqliteHashAsync(account)), Is.True);
            Assert.That(await JournalTextAsync(run.InstanceId), Does.Contain("SQLite 没有登录账号"));
            return;
        }

        // The platform creates the receiving tables; the other department has its own schema and table.
        await AsAdminAsync($"""
            CREATE SCHEMA IF NOT EXISTS fe_{OtherUnitId};
            CREATE TABLE fe_{UnitId}.licences (code text PRIMARY KEY, holder text);
            INSERT INTO fe_{UnitId}.licences VALUES ('L-001', '示例企业');
            CREATE TABLE fe_{OtherUnitId}.secrets (v text);
            """);
        await using var login = await ConnectAsync(account, password);
        Assert.That(await ScalarAsync(login, $"SELECT holder FROM fe_{UnitId}.licences"), Is.EqualTo("示例企业"));
        await ExecuteAsync(login, $"INSERT INTO fe_{UnitId}.licences VALUES ('L-002', '另一企业')");
        var denied = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(login, $"SELECT v FROM fe_{OtherUnitId}.secrets"));
        Assert.That(denied!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        var wrong = Assert.ThrowsAsync<PostgresException>(() => ConnectAsync(account, password + "x"));
        Assert.That(wrong!.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidPassword));
    }

    [Test]
    public async Task Reset_changes_the_password_of_the_departments_account()
    {
        await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("database"));
        await DispatchAsync();
        var (account, first, _) = Delivered();

        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("database", "reset", account));
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage);
        await DispatchAsync();
        var (resetAccount, second, _) = Delivered();

        Assert.That((resetAccount, second == first), Is.EqualTo((account, false)));
        if (Provider == DatabaseProvider.Sqlite)
        {
            var hash = await SqliteHashAsync(account);
            Assert.That((SqliteFrontEndDatabase.Verify(second, hash), SqliteFrontEndDatabase.Verify(first, hash)), Is.EqualTo((true, false)));
            return;
        }

        await using (await ConnectAsync(account, second))
        {
        }

        Assert.ThrowsAsync<PostgresException>(() => ConnectAsync(account, first));
    }

    [Test]
    public async Task Reset_of_an_account_that_is_not_the_departments_stops_with_an_incident()
    {
        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("database", "reset", "postgres"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("postgres"));
        Assert.That(await OutboxOfAsync(run.InstanceId), Is.Empty);
    }

    [Test]
    public async Task A_step_retried_after_its_account_was_made_reuses_it_with_the_same_password_and_sends_once()
    {
        var form = FrontEndForm("database");
        Faults.FailAdapterAfterEffect(1);

        var run = await IssueAsync(IssueFrontEndAccount.Type, form);
        Assert.That(run.Status, Is.Not.EqualTo(WorkflowStatus.Finished), "the first attempt made the account, then failed");
        await RetryDueAsync();
        Assert.That((await Queries.GetInstanceAsync(run.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));

        Assert.That((await OutboxOfAsync(run.InstanceId)).Select(m => m.Type), Is.EqualTo(new[] { CredentialDelivery.EmailType, CredentialDelivery.SmsType }));
        await DispatchAsync();
        var (account, password, _) = Delivered();
        var issued = Provider == DatabaseProvider.PostgreSql ? await PostgresAccountsAsync() : await SqliteAccountsAsync();
        Assert.That(issued.Count(a => a == account), Is.EqualTo(1));
        Assert.That(issued, Has.Count.EqualTo(issued.Distinct().Count()));
        if (Provider == DatabaseProvider.PostgreSql)
        {
            await using (await ConnectAsync(account, password))
            {
            }
        }
        else
        {
            Assert.That(SqliteFrontEndDatabase.Verify(password, await SqliteHashAsync(account)), Is.True);
        }
    }

    private async Task<List<string>> PostgresAccountsAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return await RolesAsync(connection, UnitId);
    }

    private async Task<List<string>> SqliteAccountsAsync()
    {
        await using var connection = SqliteFile();
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT name FROM pds_accounts", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private async Task<string> SqliteHashAsync(string account)
    {
        await using var connection = SqliteFile();
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT password_hash FROM pds_accounts WHERE name = $n", connection);
        command.Parameters.AddWithValue("$n", account);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private SqliteConnection SqliteFile()
    {
        var folder = Services.GetRequiredService<IOptions<FrontEndOptions>>().Value.SqliteFolder;
        return new SqliteConnection($"Data Source={Path.Combine(folder, $"fe_{UnitId}.db")};Pooling=False");
    }

    private async Task<NpgsqlConnection> ConnectAsync(string role, string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = role, Password = password, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task AsAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    private static async Task<List<string>> RolesAsync(NpgsqlConnection connection, string unit)
    {
        await using var command = new NpgsqlCommand("SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", connection);
        command.Parameters.AddWithValue($"db_{unit}_");
        var roles = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) roles.Add(reader.GetString(0));
        return roles;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Does the real work, then fails while the switch says so: the account exists, the step did not finish.</summary>
    private sealed class CrashAfterEffect(FaultSwitch faults, IFrontEndDatabase inner) : IFrontEndDatabase
    {
        public async Task<FrontEndAccount> IssueAsync(FrontEndAccountRequest request, CancellationToken cancellationToken)
        {
            var account = await inner.IssueAsync(request, cancellationToken);
            if (faults.TakeAdapterFailure()) throw new IOException("injected: the connection dropped after the account was made");
            return account;
        }
    }
}
