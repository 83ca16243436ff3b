using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Host.Tests;

/// <summary>The operator verbs, run exactly as the README says: <c>dotnet run --project src/Host -- …</c>.</summary>
public sealed class CommandLineTests
{
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PdsWorkflow.sln"))) return folder.FullName;
        throw new InvalidOperationException("PdsWorkflow.sln not found above the test directory.");
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        foreach (var argument in new[] { "run", "--no-build", "--project", "src/Host", "--" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Test]
    public async Task Calendar_deadline_prints_one_json_object()
    {
        var (exit, output, error) = await RunAsync("calendar", "deadline", "2026-12-30T10:00:00+08:00", "3");

        Assert.That(exit, Is.Zero, error);
        var json = JsonNode.Parse(output)!;
        Assert.That(json["deadline"]!.GetValue<string>(), Is.EqualTo("2027-01-05T23:59:59+08:00"));
        Assert.That(json["provisional"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Calendar_year_prints_a_line_per_day()
    {
        var (exit, output, error) = await RunAsync("calendar", "year", "2026");

        Assert.That(exit, Is.Zero, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(365));
        Assert.That(lines, Does.Contain("2026-02-14 work").And.Contain("2026-02-15 off 春节").And.Contain("2026-03-01 off 周末"));
    }

    [Test]
    public async Task A_bad_instant_is_refused_with_a_message_and_exit_code_2()
    {
        var (exit, output, error) = await RunAsync("calendar", "deadline", "tomorrow", "3");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("ISO 8601"));
    }

    [Test]
    public async Task Migrate_creates_the_engine_schema_and_leaves_the_timer_scheduler_alone()
    {
        var file = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
        try
        {
            var (exit, _, error) = await RunAsync("migrate", $"--Database:ConnectionString=Data Source={file}");

            Assert.That(exit, Is.Zero, error);
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            var tables = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
            Assert.That(tables, Has.Some.StartsWith("wf_"));
            Assert.That(tables, Has.None.StartsWith("qrtz_"), "an operator verb never starts Quartz, which would create its tables");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(file + suffix)) File.Delete(file + suffix);
        }
    }

    [Test]
    public async Task A_loaded_notice_is_stored_and_later_verbs_count_with_it()
    {
        var database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
        var notice = Path.Combine(Path.GetTempPath(), $"notice-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(notice, """
            { "year": 2027, "noticeNumber": "国办发明电〔2026〕99号（测试）", "publishedOn": "2026-11-20", "source": "测试数据",
              "periods": [ { "name": "春节", "firstDayOff": "2027-02-05", "lastDayOff": "2027-02-12", "makeupWorkdays": ["2027-02-20"] } ] }
            """);
        var settings = $"--Database:ConnectionString=Data Source={database}";
        try
        {
            var loaded = await RunAsync("calendar", "load-notice", notice, settings);
            Assert.That(loaded.ExitCode, Is.Zero, loaded.Error);
            Assert.That(loaded.Output, Does.Contain("已载入 2027 年"));

            var (exit, output, error) = await RunAsync("calendar", "deadline", "2027-02-01T10:00:00+08:00", "5", settings);
            Assert.That(exit, Is.Zero, error);
            Assert.That(JsonNode.Parse(output)!["provisional"]!.GetValue<bool>(), Is.False);
            Assert.That(JsonNode.Parse(output)!["deadline"]!.GetValue<string>(), Is.EqualTo("2027-02-16T23:59:59+08:00"));
        }
        finally
        {
            File.Delete(notice);
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        }
    }

    [Test]
    public async Task Create_admin_refuses_a_weak_password_and_a_second_separated_duty_and_creates_each_duty_holder()
    {
        var database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
        var settings = $"--Database:ConnectionString=Data Source={database}";
        try
        {
            var weak = await RunAsync(new Dictionary<string, string> { ["PDS_ADMIN_PASSWORD"] = "short" }, "create-admin", "root", settings);
            Assert.That(weak.ExitCode, Is.EqualTo(2));
            Assert.That(weak.Error, Does.Contain("至少 10 位"));

            var created = await RunAsync(new Dictionary<string, string> { ["PDS_ADMIN_PASSWORD"] = "Yingcheng#2026" }, "create-admin", "root", settings);
            Assert.That(created.ExitCode, Is.Zero, created.Error);
            Assert.That(created.Output, Does.Contain("平台管理员"));

            var twoDuties = await RunAsync(new Dictionary<string, string> { ["PDS_ADMIN_PASSWORD"] = "Yingcheng#2026" }, "create-auditor", "root", settings);
            Assert.That(twoDuties.ExitCode, Is.EqualTo(2));
            Assert.That(twoDuties.Error, Does.Contain("root：平台管理员、审计员须由不同人员担任（三员分立），同一用户不能兼任。"));
            var security = await RunAsync(new Dictionary<string, string> { ["PDS_ADMIN_PASSWORD"] = "Luhe#Bridge2026" }, "create-security-admin", "guard", settings);
            Assert.That((security.ExitCode, security.Output), Is.EqualTo((0, "guard 已就绪（平顶山市政务服务和大数据管理局：安全管理员）" + Environment.NewLine)), security.Error);
            var auditor = await RunAsync(new Dictionary<string, string> { ["PDS_ADMIN_PASSWORD"] = "Ruyang#River2026" }, "create-auditor", "reader", settings);
            Assert.That(auditor.ExitCode, Is.Zero, auditor.Error);
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        }
    }

    [Test]
    public async Task Seed_demo_creates_the_demo_organisation_once_and_prints_what_it_created()
    {
        var database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
        var settings = $"--Database:ConnectionString=Data Source={database}";
        try
        {
            var first = await RunAsync("seed-demo", settings);
            Assert.That(first.ExitCode, Is.Zero, first.Error);
            Assert.That(first.Output, Does.Contain("组织机构 (organization)：新建 "));
            Assert.That(first.Output, Does.Contain("  + 单位 bureau 平顶山市政务服务和大数据管理局"));
            Assert.That(first.Output, Does.Contain("  + 单位 yx-sjj 叶县政务服务和大数据管理局"));
            Assert.That(first.Output, Does.Contain("  + 用户 gaj.approver "));
            Assert.That(first.Output, Does.Contain("demo password): Pds@2026demo"));

            var second = await RunAsync("seed-demo", settings);
            Assert.That(second.ExitCode, Is.Zero, second.Error);
            Assert.That(second.Output, Does.Contain("组织机构 (organization)：没有新建"));
            Assert.That(second.Output, Does.Not.Contain("  + "));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        }
    }

    [Test]
    public async Task Seed_demo_names_a_missing_organisation_file_and_seeds_nothing()
    {
        var database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
        try
        {
            var (exit, output, error) = await RunAsync("seed-demo", $"--Database:ConnectionString=Data Source={database}",
                "--Demo:OrganizationFile=/nonexistent/organization.json");

            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("Demo:OrganizationFile").And.Contain("找不到演示组织机构文件“/nonexistent/organization.json”"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        }
    }

    [Test]
    public async Task Rotate_signing_key_writes_a_new_key_and_keeps_the_old_public_key_and_sign_checkpoints_reports_what_it_signed()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"integrity-{Guid.NewGuid():N}");
        var database = Path.Combine(folder, "pds.db");
        string[] settings =
        [
            $"--Database:ConnectionString=Data Source={database}", $"--Integrity:SigningKeyFile={Path.Combine(folder, "signing.key")}",
            $"--Integrity:PublicKeysPath={Path.Combine(folder, "public")}", $"--Integrity:AnchorPath={Path.Combine(folder, "anchor")}",
        ];
        try
        {
            var first = await RunAsync(["rotate-signing-key", .. settings]);
            var second = await RunAsync(["rotate-signing-key", .. settings]);
            var signed = await RunAsync(["sign-checkpoints", .. settings]);

            Assert.That(first.ExitCode, Is.Zero, first.Error);
            Assert.That(second.ExitCode, Is.Zero, second.Error);
            var (a, b) = (JsonNode.Parse(first.Output)!, JsonNode.Parse(second.Output)!);
            Assert.That(a["algorithm"]!.GetValue<string>(), Is.EqualTo("SM2"));
            Assert.That(b["keyId"]!.GetValue<string>(), Is.Not.EqualTo(a["keyId"]!.GetValue<string>()));
            Assert.That(Directory.GetFiles(Path.Combine(folder, "public")).Select(Path.GetFileNameWithoutExtension),
                Is.EquivalentTo(new[] { a["keyId"]!.GetValue<string>(), b["keyId"]!.GetValue<string>() }));
            Assert.That(File.ReadAllText(Path.Combine(folder, "signing.key")), Does.Contain("private=").And.Contain("algorithm=SM2"));
            Assert.That(signed.ExitCode, Is.Zero, signed.Error);
            Assert.That(JsonNode.Parse(signed.Output)!["instances"]!.GetValue<int>(), Is.Zero, "a new database has nothing to sign");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
