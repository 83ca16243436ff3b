using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ICSharpCode.SharpZipLib.Zip;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Accounts.Support;

/// <summary>
/// Runs the account steps for real: the product's database of the fixture's provider, a local SMTP server and a local
/// Alibaba Cloud SMS endpoint started here, the FTP server of scripts/ftp.sh (<see cref="FtpVariable"/>), and the
/// front-end accounts on the product's database (PostgreSQL) or in per-department files (SQLite). Each fixture has
/// its own departments with random codes, because PostgreSQL roles and FTP users outlive a test database.
/// </summary>
public abstract class AccountsTestBase(DatabaseProvider provider) : EngineTestBase(provider)
{
    public const string FtpVariable = "PDS_TEST_FTP";
    protected const string Phone = "13900001234";
    protected const string SmsKeyId = "LTAI5tPdsWorkflowTest";
    protected const string SmsSecret = "pds-test-access-key-secret";

    private readonly string _sqliteFolder = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "frontend", Guid.NewGuid().ToString("N"));

    // Started with the fixture (NUnit constructs it just before its one-time set-up), stopped after its last test.
    private readonly LocalSmtpServer _smtp = new();
    private readonly LocalAliyunSmsServer _sms = new(SmsKeyId, SmsSecret);

    protected LocalSmtpServer Smtp => _smtp;
    protected LocalAliyunSmsServer Sms => _sms;

    /// <summary>The applying department and another one, with codes unique to this run.</summary>
    protected string UnitId { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    protected string OtherUnitId { get; } = "o" + Guid.NewGuid().ToString("N")[..8];
    protected string UnitName => $"测试数据局{UnitId}";
    protected string OtherUnitName => $"测试数据局{OtherUnitId}";
    protected string Email => $"{UnitId}.contact@example.gov.cn";

    /// <summary>Makes the next calls of the wrapped adapters fail after doing their work (see <see cref="ConfigureAccounts"/>).</summary>
    protected FaultSwitch Faults { get; } = new();

    protected static string? FtpSettings => Environment.GetEnvironmentVariable(FtpVariable);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        var settings = new Dictionary<string, string?>
        {
            ["Accounts:SecretKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Accounts:PlatformUrl"] = "https://pds.example.gov.cn/",
            ["Delivery:SmtpHost"] = "127.0.0.1",
            ["Delivery:SmtpPort"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:From"] = "pds-noreply@example.gov.cn",
            ["Sms:Provider"] = "Aliyun",
            ["Sms:Endpoint"] = Sms.Endpoint.ToString(),
            ["Sms:AccessKeyId"] = SmsKeyId,
            ["Sms:AccessKeySecret"] = SmsSecret,
            ["Sms:SignName"] = "平顶山大数据",
            ["Sms:TemplateCode"] = "SMS_480000001",
            ["FrontEnd:SqliteFolder"] = _sqliteFolder,
        };
        if (FtpSettings is { } ftp)
        {
            var parts = new DbConnectionStringBuilder { ConnectionString = ftp };
            foreach (var key in new[] { "Host", "Port", "PurePw", "PasswdFile", "DatabaseFile", "HomeRoot", "SystemUser" })
                settings[$"Ftp:{key}"] = (string)parts[key];
        }

        services.AddSingleton(Faults);
        services.AddSingleton<IUserPasswordHasher, IdentityHasher>();
        ConfigureAccounts(services);
        services.AddPdsActivities(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOutbox(configure: o =>
        {
            o.FirstRetryDelay = TimeSpan.FromSeconds(10);
            o.MaxAttempts = 3;
        });
    }

    /// <summary>Registrations that replace the module's adapters (they are added with TryAdd, so these win).</summary>
    protected virtual void ConfigureAccounts(IServiceCollection services)
    {
    }

    [OneTimeSetUp]
    public async Task SeedDepartmentsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        db.OrgUnits.AddRange(
            new OrgUnitRecord { Id = "bureau", Name = "市政务服务和大数据管理局", Kind = OrgUnitKinds.Bureau, RegionCode = "410400" },
            new OrgUnitRecord { Id = UnitId, Name = UnitName, Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" },
            new OrgUnitRecord { Id = OtherUnitId, Name = OtherUnitName, Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        db.Users.Add(new UserRecord { Id = "applicant", DisplayName = "申请人", OrgUnitId = UnitId, CreatedAt = Clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _smtp.DisposeAsync();
        await _sms.DisposeAsync();
        if (Directory.Exists(_sqliteFolder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }
    }

    protected JsonObject PlatformForm(string requestType = "new", string? existingAccount = null)
    {
        var form = FormExamples.PlatformAccount();
        form["requestType"] = requestType;
        form["accountUnitId"] = UnitId;
        form["email"] = Email;
        form["phone"] = Phone;
        if (existingAccount is null) form.Remove("existingAccount");
        else form["existingAccount"] = existingAccount;
        return form;
    }

    protected JsonObject FrontEndForm(string accountType, string requestType = "new", string? existingAccount = null)
    {
        var form = FormExamples.DatabaseFtpAccount();
        form["accountType"] = accountType;
        form["requestType"] = requestType;
        form["accountUnitId"] = UnitId;
        form["email"] = Email;
        form["phone"] = Phone;
        if (existingAccount is null) form.Remove("existingAccount");
        else form["existingAccount"] = existingAccount;
        return form;
    }

    /// <summary>
    /// Runs the step alone: a one-step definition started by the applicant, with the account as the platform settles it
    /// when the form is submitted (<see cref="AccountFacts"/>): of <paramref name="unitId"/> (the fixture's unit unless
    /// given), and for a reset the form's existing account.
    /// </summary>
    protected async Task<RunResult> IssueAsync(string activityType, JsonObject form, string? unitId = null)
    {
        var account = new JsonObject
        {
            ["requestType"] = form["requestType"]?.DeepClone(), ["orgUnitId"] = unitId ?? UnitId, ["existingAccount"] = form["existingAccount"]?.DeepClone(),
        };
        var definition = new DefinitionBuilder($"issue-{Guid.NewGuid():N}")
            .Add("start", "Start")
            .Add("issue", activityType, ("application", DefinitionBuilder.Literal(form)), ("account", DefinitionBuilder.Literal(account)))
            .Add("end", "End")
            .Chain("start", "issue", "end")
            .Build();
        await PublishAsync(definition);
        return await StartAsync(definition.DefinitionId);
    }

    /// <summary>Delivers what the outbox holds, as the Host's dispatcher would on its next ticks.</summary>
    protected async Task<int> DispatchAsync()
    {
        var dispatcher = Services.GetRequiredService<OutboxDispatcher>();
        var total = 0;
        while (await dispatcher.DispatchDueAsync(CancellationToken.None) is var count and > 0) total += count;
        return total;
    }

    protected async Task<List<OutboxRecord>> OutboxOfAsync(Guid instanceId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().Where(m => m.InstanceId == instanceId).OrderBy(m => m.Type).ToListAsync();
    }

    /// <summary>
    /// What the contact received: the newest letter in the mailbox, opened with the newest code on the phone, read as
    /// the letter's account and password lines.
    /// </summary>
    protected (string Account, string Password, string Letter) Delivered()
    {
        var mail = Smtp.MailboxOf(Email).Last();
        var sms = Sms.Delivered.Last(m => m.Phone == Phone);
        var letter = ReadZip(mail.Attachment("application/zip"), (string)sms.Parameters["code"]!);
        string Line(string label) => letter.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..];
        return (Line("账号："), Line("密码："), letter);
    }

    /// <summary>The letter in the zip; throws ZipException when the password is missing or wrong.</summary>
    protected static string ReadZip(byte[] zip, string? password)
    {
        using var file = new ZipFile(new MemoryStream(zip)) { Password = password };
        var entry = file.Cast<ZipEntry>().Single();
        using var reader = new StreamReader(file.GetInputStream(entry), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    protected async Task<string> JournalTextAsync(Guid instanceId) =>
        string.Join("\n", (await JournalAsync(instanceId)).Select(e => $"{e.EventName} {e.Message} {e.Inputs?.ToJsonString()} {e.Outputs?.ToJsonString()}"));

    protected async Task RetryDueAsync()
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Runtime.TriggerDueBookmarksAsync();
    }

    protected string AdminConnectionString => Services.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value.ConnectionString;

    /// <summary>ASP.NET Core Identity's hasher, as the Host's IdentityPasswordHasher uses it; fails while <see cref="FaultSwitch.HasherFailures"/> lasts.</summary>
    private sealed class IdentityHasher(FaultSwitch faults) : IUserPasswordHasher
    {
        public string Hash(string password)
        {
            if (faults.TakeHasherFailure()) throw new InvalidOperationException("injected: the hasher failed");
            return new PasswordHasher<UserRecord>().HashPassword(new UserRecord { Id = "", DisplayName = "", OrgUnitId = "" }, password);
        }
    }

    protected static bool VerifiesPlatformPassword(string hash, string password) =>
        new PasswordHasher<UserRecord>().VerifyHashedPassword(new UserRecord { Id = "", DisplayName = "", OrgUnitId = "" }, hash, password) != PasswordVerificationResult.Failed;
}

/// <summary>Failures to inject into the next calls of the wrapped adapters.</summary>
public sealed class FaultSwitch
{
    private int _hasherFailures;
    private int _adapterFailures;

    public void FailHasher(int times) => _hasherFailures = times;

    /// <summary>The next <paramref name="times"/> adapter calls do their work, then throw: a crash after the effect.</summary>
    public void FailAdapterAfterEffect(int times) => _adapterFailures = times;

    public bool TakeHasherFailure() => Interlocked.Decrement(ref _hasherFailures) >= 0;

    public bool TakeAdapterFailure() => Interlocked.Decrement(ref _adapterFailures) >= 0;
}
