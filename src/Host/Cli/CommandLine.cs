using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Host.Api;
using PdsWorkflow.Host.Startup;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;

namespace PdsWorkflow.Host.Cli;

/// <summary>
/// Operator verbs: <c>dotnet run --project src/Host -- VERB …</c>. They run without the web server and print their
/// answer on stdout (logs go to stderr), so scripts can use them. Settings such as <c>--Database:Provider=PostgreSql</c>
/// may follow the verb's arguments.
/// </summary>
public static class CommandLine
{
    private const string Usage = """
        用法 / usage: dotnet run --project src/Host -- <verb> [arguments] [--Setting:Key=value ...]
          migrate                               create or migrate the database schema
          import-definitions                    migrate, then import the files in definitions/ (unchanged files create nothing)
          calendar deadline <instant> <N>       the deadline of N working days from an ISO 8601 instant, as JSON
          calendar year <YYYY>                  one line per day: "YYYY-MM-DD work" or "YYYY-MM-DD off <reason>"
          calendar load-notice <file.json>      store a State Council holiday notice and recompute the deadlines it moves
          create-admin <userName>               create (or reset) a system administrator (platform and workflow admin);
                                                the password is read from PDS_ADMIN_PASSWORD or, when unset, from the
                                                first line of standard input
          create-security-admin <userName>      likewise, a security administrator (roles, unlocks, second-factor resets)
          create-auditor <userName>             likewise, an auditor (reads the logs); no user may hold two of these three
          seed-demo                             migrate and import the definitions, then add the demo organisation, its users
                                                (password in README, "Demo") and a few applications in flight; what exists
                                                already is left as it is
          archive-journals                      write ended cases and sent outbox messages older than Audit:RetentionMonths
                                                (≥ 24) to a file under Audit:ArchivePath, then delete them from the database
          sign-checkpoints                      sign every chain head past its last checkpoint and idle for Integrity:CheckpointInterval
                                                (journals written before signing existed included) and write the anchor's daily digests
          rotate-signing-key                    replace the checkpoint signing key with a new one (Integrity:SignatureAlgorithm); the old
                                                public key stays in Integrity:PublicKeysPath, so old checkpoints keep verifying
        """;

    private static readonly string[] Verbs = ["migrate", "import-definitions", "calendar", "create-admin", "create-security-admin", "create-auditor", "seed-demo", "archive-journals", "sign-checkpoints", "rotate-signing-key", "help", "--help"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal) || a == "--help").ToArray();
        var settings = args.Skip(positional.Length).ToArray();
        if (positional[0] is "help" or "--help")
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = settings,
            ContentRootPath = StartupChecks.ContentRoot(settings),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPdsWorkflowCore(timers: false);
        using var host = builder.Build();
        var services = host.Services;
        if (!StartupChecks.SettingsAreValid(services, Console.Error)) return 1;

        try
        {
            switch (positional)
            {
                case ["migrate"]:
                    await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                    Console.WriteLine("数据库已是最新结构 (database schema is up to date)");
                    return 0;
                case ["import-definitions"]:
                    var initializer = services.GetRequiredService<DatabaseInitializer>();
                    await initializer.MigrateAsync(CancellationToken.None);
                    var results = await initializer.ImportDefinitionsAsync(CancellationToken.None);
                    foreach (var r in results)
                        Console.WriteLine($"{r.Outcome,-10} {r.File} {r.DefinitionId} v{r.Version} {r.Message}{string.Join("; ", r.Errors.Select(e => e.Message))}");
                    return results.Any(r => r.Outcome is "Invalid" or "Unreadable") ? 1 : 0;
                case ["calendar", "deadline", var instant, var count]:
                    await SyncStoredNoticesAsync(services);
                    return Deadline(services.GetRequiredService<WorkingDayCalendar>(), instant, count);
                case ["calendar", "year", var year]:
                    await SyncStoredNoticesAsync(services);
                    return Year(services.GetRequiredService<WorkingDayCalendar>(), year);
                case ["calendar", "load-notice", var file]:
                    await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                    return await LoadNoticeAsync(services.GetRequiredService<HolidayNoticeService>(), services.GetRequiredService<Workflows.Audit.SecurityLog>(), file);
                case [var verb, var userName] when AdminAccounts.Verbs.ContainsKey(verb):
                    await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                    return await AdminAccounts.CreateAsync(services, verb, userName,
                        Environment.GetEnvironmentVariable("PDS_ADMIN_PASSWORD") ?? Console.In.ReadLine() ?? "");
                case ["seed-demo"]:
                    // The demo applications are instances of the definitions: import those first.
                    await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                    await services.GetRequiredService<DatabaseInitializer>().ImportDefinitionsAsync(CancellationToken.None);
                    return await DemoData.SeedAsync(services.GetRequiredService<DemoSeeder>());
                case ["archive-journals"]:
                    await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                    var archived = await services.GetRequiredService<Workflows.Audit.AuditArchiver>().ArchiveAsync("cli:operator", CancellationToken.None);
                    Console.WriteLine(JsonSerializer.Serialize(archived, Json));
                    return 0;
                case ["sign-checkpoints"]:
                    await services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                    Console.WriteLine(JsonSerializer.Serialize(await services.GetRequiredService<Workflows.Integrity.CheckpointSweep>().RunAsync(CancellationToken.None), Json));
                    return 0;
                case ["rotate-signing-key"]:
                    var rotated = services.GetRequiredService<Workflows.Integrity.SigningKeyStore>().Rotate();
                    Console.WriteLine(JsonSerializer.Serialize(new { rotated.KeyId, rotated.Algorithm }, Json));
                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine("配置错误 (configuration error): " + string.Join("; ", ex.Failures));
            return 1;
        }
    }

    private static int Deadline(WorkingDayCalendar calendar, string instant, string count)
    {
        if (!DateTimeOffset.TryParse(instant, CultureInfo.InvariantCulture, DateTimeStyles.None, out var receivedAt))
            return Fail($"收件时间“{instant}”不是 ISO 8601 时间，例如 2026-02-13T10:00:00+08:00");
        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days > 3650)
            return Fail($"工作日数“{count}”应为 0 到 3650 的整数");
        if (receivedAt.Year is < WorkingDayCalendar.FirstSupportedYear or >= WorkingDayCalendar.LastSupportedYear)
            return Fail($"只支持 {WorkingDayCalendar.FirstSupportedYear} 至 {WorkingDayCalendar.LastSupportedYear - 1} 年");
        Console.WriteLine(JsonSerializer.Serialize(DeadlineView.From(calendar.AddWorkingDays(receivedAt, days)), Json));
        return 0;
    }

    private static int Year(WorkingDayCalendar calendar, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year is < WorkingDayCalendar.FirstSupportedYear or > WorkingDayCalendar.LastSupportedYear)
            return Fail($"年份“{text}”应在 {WorkingDayCalendar.FirstSupportedYear} 至 {WorkingDayCalendar.LastSupportedYear} 之间");
        foreach (var day in CalendarEndpoints.Year(calendar, year)) Console.WriteLine(day.ToLine());
        return 0;
    }

    /// <summary>Notices uploaded earlier live in the database; without a database the files in the notices folder are all there is.</summary>
    private static async Task SyncStoredNoticesAsync(IServiceProvider services)
    {
        try
        {
            await services.GetRequiredService<HolidayNoticeService>().SyncAsync(CancellationToken.None);
        }
        catch (System.Data.Common.DbException ex)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("CommandLine").LogDebug(ex, "No stored holiday notices: the database is not there yet");
        }
    }

    private static async Task<int> LoadNoticeAsync(HolidayNoticeService notices, Workflows.Audit.SecurityLog log, string file)
    {
        if (!File.Exists(file)) return Fail($"找不到文件“{file}”");
        var result = await notices.UploadAsync(await File.ReadAllTextAsync(file), "cli:operator", CancellationToken.None);
        await log.WriteAsync(new Workflows.Audit.SecurityEvent(Workflows.Audit.SecurityEventKinds.CalendarNoticeUploaded,
            result.Succeeded ? Workflows.Audit.SecurityResults.Success : Workflows.Audit.SecurityResults.Refused, "cli:operator", null,
            result.Succeeded ? $"calendar:{result.Notice!.Year}" : "calendar", result.Succeeded ? Path.GetFileName(file) : result.Errors[0].Message), CancellationToken.None);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) Console.Error.WriteLine($"{error.Field}: {error.Message}");
            return 1;
        }

        Console.WriteLine($"已载入 {result.Notice!.Year} 年节假日安排（{result.Notice.NoticeNumber}），重新计算了 {result.Recomputed.Count} 个办理时限");
        foreach (var change in result.Recomputed) Console.WriteLine($"  {change.InstanceId} {change.ActivityId}: {change.Before:yyyy-MM-dd HH:mm} → {change.After:yyyy-MM-dd HH:mm}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
