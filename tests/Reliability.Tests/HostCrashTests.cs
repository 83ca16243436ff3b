using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts.Delivery;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// Issue #9's crash test through the Host: the real Host runs as a child process on a fresh database with the demo
/// organisation; demo users file data objections (数据异议, definitions/objection.json: the applicant's step, the
/// provider's reply, then a notice to the applicant) and the providers' approvers answer them, each user from their own
/// HTTP session, all at once, while the driver SIGKILLs the Host at random moments and starts it again. Every
/// notification goes by e-mail to a local SMTP server and by SMS to a local Alibaba Cloud SMS endpoint.
/// At the end every case is finished, or waits at the provider's reply where the batch leaves it; each step ran once
/// (journal, audit rows), each journal verifies, a retried command that had been applied was refused with its conflict
/// code; every outbox message was delivered, none is a dead letter, and each mail and SMS reached its recipient once
/// (the peers keep one copy per Message-ID / OutId; repeats on the wire are counted).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class HostCrashTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private const string DefinitionId = "objection";
    private const string SmsKeyId = "LTAI5tPdsHostCrash";
    private const string SmsSecret = "pds-host-crash-sms-secret";
    private const string MessageIdDomain = "pdsworkflow.local";

    /// <summary>Applicants (data contacts) and the providers their objections go to; neither files nor answers a demo application of this process.</summary>
    private static readonly string[] Applicants = ["wjw.contact", "zjj.contact", "swj.contact", "zrzyj.contact"];

    private static readonly string[] Providers = ["gaj", "scjgj", "rsj", "mzj"];

    /// <summary>Every sixth case is left with its provider: it must still wait at <c>reply</c> at the end.</summary>
    private static bool LeftWaiting(int index) => index % 6 == 5;

    private static readonly string[] TwoAssigned = ["notify.task-assigned", "notify.task-assigned"];

    private static string Marker(int index) => $"DY-CRASH-{index:D4}";

    [Test]
    public async Task The_Host_killed_at_random_points_neither_loses_nor_repeats_a_step_or_a_message()
    {
        var count = Scale.Times(24);
        var kills = Scale.Times(4);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var smtp = new LocalSmtpServer();
        await using var sms = new LocalAliyunSmsServer(SmsKeyId, SmsSecret);
        var folder = Directory.CreateTempSubdirectory("pdsworkflow-hostcrash-").FullName;
        var connection = Services.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value.ConnectionString;
        string[] settings =
        [
            $"--Database:Provider={Provider}", $"--Database:ConnectionString={connection}",
            "--Demo:SeedOnFirstStart=true", $"--Attachments:Path={Path.Combine(folder, "attachments")}",
            $"--Accounts:SecretKeyFile={Path.Combine(folder, "accounts.key")}", $"--FrontEnd:SqliteFolder={Path.Combine(folder, "frontend")}",
            $"--Integrity:SigningKeyFile={Path.Combine(folder, "keys", "journal-signing.key")}", $"--Integrity:PublicKeysPath={Path.Combine(folder, "keys", "public")}",
            $"--Integrity:AnchorPath={Path.Combine(folder, "anchor")}",
            "--Logging:LogLevel:Default=Warning", "--Outbox:PollInterval=00:00:00.500",
            // The clients sign in again after every crash, all from 127.0.0.1: far more often than one office does.
            "--SignIn:SourcePermitLimit=1000",
            "--Delivery:SmtpHost=127.0.0.1", $"--Delivery:SmtpPort={smtp.Port}", "--Delivery:From=pds-noreply@example.gov.cn",
            $"--Delivery:MessageIdDomain={MessageIdDomain}",
            "--Sms:Provider=Aliyun", $"--Sms:Endpoint={sms.Endpoint}", $"--Sms:AccessKeyId={SmsKeyId}", $"--Sms:AccessKeySecret={SmsSecret}",
            "--Sms:SignName=平顶山大数据", "--Sms:TemplateCode=SMS_480000001", "--Notifications:SmsTemplateCode=SMS_480000002",
            // Every notification of the batch also goes by SMS, so the SMS endpoint sees as much traffic as the mail server.
            "--Notifications:SmsTypes:0=notify.task-assigned", "--Notifications:SmsTypes:1=notify.case",
        ];

        await using var host = new HostNode(settings);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        if (Provider == DatabaseProvider.PostgreSql)
        {
            // The Host seeds only a SQLite database by itself; a PostgreSQL one gets the demo from the operator's verb.
            var (exit, output) = await host.RunVerbAsync("seed-demo", stop.Token);
            Assert.That(exit, Is.Zero, () => $"seed-demo: {output}");
        }

        await host.StartAsync(stop.Token);
        var gate = new HostGate();
        var findings = new ConcurrentQueue<string>();
        var batch = new Batch(count);
        var log = new List<string>();

        var applicants = Applicants.Select(u => new CrashingApiClient(u, host.Address, gate, findings)).ToList();
        var approvers = Providers.Select(p => new CrashingApiClient($"{p}.approver", host.Address, gate, findings)).ToList();
        try
        {
            var work = applicants.Select((client, a) => Task.Run(() => FileObjectionsAsync(client, a, batch, findings, stop.Token)))
                .Concat(approvers.Select((client, p) => Task.Run(() => AnswerObjectionsAsync(client, p, batch, findings, stop.Token))))
                .ToList();
            var all = Task.WhenAll(work);

            var midway = 0;
            for (var kill = 0; kill < kills; kill++)
            {
                // Killed 20 ms – 2 s into work: counted from the first command this run of the Host answered (a fresh
                // process takes a while to answer its first requests, and a kill before that would hit nothing).
                var before = batch.Commands;
                while (batch.Commands == before && !all.IsCompleted) await Task.Delay(10, stop.Token);
                var lifetime = TimeSpan.FromMilliseconds(random.Next(20, 2_000));
                await Task.WhenAny(all, Task.Delay(lifetime, stop.Token));
                if (all.IsFaulted) break;
                gate.Close();
                await host.KillAsync();
                var progress = await ProgressAsync(batch);
                if (progress.Cases > 0 && !progress.IsComplete(batch)) midway++;
                log.Add($"kill {kill + 1}, {lifetime.TotalMilliseconds:0} ms into work: {progress}");
                await host.StartAsync(stop.Token);
                gate.Open();
            }

            await all.WaitAsync(TimeSpan.FromMinutes(3), stop.Token);
            await WaitForOutboxAsync(stop.Token);

            // Every answered task once more, as a client that never heard back would: refused, never applied twice.
            var again = 0;
            foreach (var (taskId, approver) in batch.Answered)
            {
                var answer = await approvers[approver].PostAsync($"/api/tasks/{taskId}/approve", Reply(), stop.Token);
                Assert.That((answer.Status, answer.Code), Is.EqualTo((HttpStatusCode.Conflict, "task_not_open")), $"approving {taskId} again: {answer}");
                again++;
            }

            log.Add($"end: {await ProgressAsync(batch)}; {again} answered tasks approved again, each refused with task_not_open");
            log.Add($"clients: {applicants.Concat(approvers).Sum(c => c.Retries)} requests sent again after a kill, "
                + $"{applicants.Concat(approvers).Sum(c => c.SignIns)} sign-ins; {batch.Summary()}");
            TestContext.Out.WriteLine($"{Provider}, seed {seed}, {count} cases, {kills} kills, {host.Starts} starts\n  " + string.Join("\n  ", log));
            Assert.That(findings, Is.Empty, "no 5xx, no unexpected refusal");
            Assert.That(midway, Is.GreaterThan(0), "at least one kill fell in the middle of the batch");
        }
        catch
        {
            TestContext.Out.WriteLine($"{Provider}, seed {seed}\n  " + string.Join("\n  ", log) + "\n  findings: " + string.Join("\n  ", findings) + "\nHost log:\n" + host.Log);
            throw;
        }
        finally
        {
            foreach (var client in applicants.Concat(approvers)) client.Dispose();
            await host.KillAsync();
        }

        await AssertBatchAsync(batch, smtp, sms);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left to the system
        }
    }

    /// <summary>One applicant's cases, one after the other: create the draft with its form, then submit it.</summary>
    private static async Task FileObjectionsAsync(CrashingApiClient client, int applicant, Batch batch, ConcurrentQueue<string> findings, CancellationToken ct)
    {
        for (var index = applicant; index < batch.Count; index += Applicants.Length)
        {
            var provider = Providers[(index + index / Applicants.Length) % Providers.Length];
            // The create carries an Idempotency-Key: sent again after a kill, it answers with the case the lost attempt
            // started (and saves the form on it if the kill fell between the start and the form's save).
            var created = await client.SendAsync(HttpMethod.Post, "/api/applications",
                new JsonObject { ["definitionId"] = DefinitionId, ["form"] = Report(index, provider) },
                ct, idempotencyKey: $"objection-{index}");
            Guid instanceId;
            if (created.Status == HttpStatusCode.Created) instanceId = Guid.Parse(created.Body!["instanceId"]!.GetValue<string>());
            else
            {
                findings.Enqueue($"{client.UserName} creating case {index}: {created}");
                return;
            }

            if (created.Retried) batch.Note("create answered after a retry with the same idempotency key");
            batch.Created(instanceId, index, provider);
            batch.Command();
            var submitted = await client.PostAsync($"/api/applications/{instanceId}/submit", new JsonObject { ["form"] = Report(index, provider), ["comment"] = "提交异议" }, ct);
            if (submitted.IsSuccess)
            {
                batch.Command();
                continue;
            }

            if (submitted.Retried && submitted.Status == HttpStatusCode.Conflict && submitted.Code == "not_with_applicant")
                batch.Note("retried submit refused with not_with_applicant");
            else findings.Enqueue($"{client.UserName} submitting case {index} ({instanceId}): {submitted}");
        }
    }

    /// <summary>One provider's approver: answers the objections of the batch sent to its unit, except those left waiting.</summary>
    private static async Task AnswerObjectionsAsync(CrashingApiClient client, int provider, Batch batch, ConcurrentQueue<string> findings, CancellationToken ct)
    {
        var unit = Providers[provider];
        while (batch.Answerable(unit) is var expected && (!batch.AllCreated || batch.AnsweredBy(provider) < expected))
        {
            var todo = await client.GetAsync($"/api/tasks/todo?definitionId={DefinitionId}&pageSize=200", ct);
            var acted = false;
            foreach (var task in todo.Body!["items"]!.AsArray())
            {
                var instanceId = Guid.Parse(task!["instanceId"]!.GetValue<string>());
                if (task["activityId"]!.GetValue<string>() != "reply" || batch.IndexOf(instanceId) is not { } index || LeftWaiting(index)) continue;
                var taskId = Guid.Parse(task["id"]!.GetValue<string>());
                var answer = await client.PostAsync($"/api/tasks/{taskId}/approve", Reply(), ct);
                if (answer.IsSuccess)
                {
                    batch.Answer(taskId, provider);
                    batch.Command();
                }
                else if (answer.Retried && answer.Status == HttpStatusCode.Conflict && answer.Code == "task_not_open")
                {
                    batch.Answer(taskId, provider);
                    batch.Note("retried approve refused with task_not_open");
                }
                else findings.Enqueue($"{client.UserName} approving {taskId} (case {index}): {answer}");
                acted = true;
            }

            if (!acted) await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// An objection to a demo catalog resource of <paramref name="provider"/>: the platform finds the provider from the
    /// resource code (the applicant names no provider and sends none of the platform's fields).
    /// </summary>
    private static JsonObject Report(int index, string provider)
    {
        var form = FormExamples.ObjectionReportAsSent();
        form["subscriptionNumber"] = Marker(index);
        form["resourceCode"] = ResourceOf[provider];
        return form;
    }

    /// <summary>A published resource of each provider in the demo catalog (definitions/catalog).</summary>
    private static readonly Dictionary<string, string> ResourceOf = new(StringComparer.Ordinal)
    {
        ["gaj"] = "10100101/0001", ["scjgj"] = "10200101/0001", ["rsj"] = "34100201/0001", ["mzj"] = "34100301/0001",
    };

    /// <summary>The provider's reply, dated today (Beijing): a reply cannot predate the report, which the platform dates today.</summary>
    private static JsonObject Reply()
    {
        var form = FormExamples.ObjectionReply();
        var today = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        form["correctedOn"] = today;
        form["repliedOn"] = today;
        return new JsonObject { ["comment"] = "已核实更正", ["form"] = form };
    }

    private async Task WaitForOutboxAsync(CancellationToken ct)
    {
        for (var round = 0; round < 600; round++)
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(ct);
            if (!await db.Outbox.AnyAsync(m => m.SentAt == null && m.DeadAt == null && m.Type.StartsWith("notify."), ct)) return;
            await Task.Delay(200, ct);
        }
    }

    private async Task AssertBatchAsync(Batch batch, LocalSmtpServer smtp, LocalAliyunSmsServer sms)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var cases = await db.Instances.AsNoTracking().Where(i => i.DefinitionId == DefinitionId && Applicants.Contains(i.Initiator!)).ToListAsync();
        var live = cases.Where(c => c.Status != WorkflowStatus.Cancelled).ToList();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.DefinitionId == DefinitionId).ToListAsync();
        var actions = await db.TaskActions.AsNoTracking().ToListAsync();
        var outbox = await db.Outbox.AsNoTracking().ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cases.Select(c => c.Id), Is.EquivalentTo(batch.Instances), "one case per objection, none duplicated by a retried create");
            Assert.That(cases.Where(c => c.Status == WorkflowStatus.Cancelled), Is.Empty, "no case was discarded");
            Assert.That(outbox.Where(m => m.DeadAt != null).Select(m => m.Key), Is.Empty, "no dead letter");
            Assert.That(outbox.Where(m => m.SentAt == null).Select(m => $"{m.Type} {m.Key}"), Is.Empty, "every outbox message delivered");
        }

        foreach (var row in live)
        {
            var index = batch.IndexOf(row.Id)!.Value;
            var journal = await Queries.GetJournalAsync(row.Id);
            var open = tasks.Where(t => t.InstanceId == row.Id && t.Status == "Open").Select(t => t.ActivityId).ToList();
            var completed = journal.Where(j => j.EventName == JournalEvents.ActivityCompleted).Select(j => j.ActivityId).ToList();
            string[] done = LeftWaiting(index) ? ["start", "report"] : ["start", "report", "reply", "notifyReply", "done"];
            using (Assert.EnterMultipleScope())
            {
                Assert.That(row.Status, Is.EqualTo(LeftWaiting(index) ? WorkflowStatus.Suspended : WorkflowStatus.Finished), $"case {index}");
                Assert.That(open, Is.EqualTo(LeftWaiting(index) ? new[] { "reply" } : Array.Empty<string>()), $"case {index}: open steps");
                Assert.That(completed.Order(), Is.EqualTo(done.Order()), $"case {index}: each step completed once, and only those");
                Assert.That(journal.Count(j => j.EventName == JournalEvents.WorkflowStarted), Is.EqualTo(1), $"case {index} started once");
                Assert.That(actions.Count(a => a.InstanceId == row.Id && a.Action == "approve"), Is.EqualTo(LeftWaiting(index) ? 1 : 2),
                    $"case {index}: one approval audit row per human step (submit, reply)");
                Assert.That(outbox.Where(m => m.InstanceId == row.Id).Select(m => m.Type).Order(),
                    Is.EqualTo((LeftWaiting(index) ? TwoAssigned : TwoAssigned.Append("notify.case")).Order()),
                    $"case {index}: one message per step that queues one (each human step's assignment, the notice to the applicant)");
                Assert.That((await Verifier.VerifyAsync(row.Id))!.IsIntact, Is.True, $"case {index}: the journal verifies");
            }
        }

        // The notifications: one in-app row per (message, recipient); an e-mail and an SMS for each, received once.
        var notifications = await NotificationsAsync(db);
        var notify = outbox.Where(m => m.Type.StartsWith("notify.", StringComparison.Ordinal)).ToList();
        var mailIds = notifications.Where(n => n.Email == "sent").Select(n => CredentialEmailHandler.MessageId(n.Key, MessageIdDomain)).ToList();
        var outIds = notifications.Where(n => n.Sms == "sent").Select(n => CredentialSmsHandler.OutId(n.Key)).ToList();
        var batchNotices = notify.Count(m => m.InstanceId is { } id && batch.Knows(id));
        var mailRepeats = smtp.Received.Count - smtp.Mailbox.Count;
        var smsRepeats = sms.Accepted.Count - sms.Delivered.Count;
        TestContext.Out.WriteLine($"outbox: {outbox.Count} messages ({notify.Count} notifications, {batchNotices} of the batch); "
            + $"mail: {smtp.Received.Count} on the wire, {smtp.Mailbox.Count} distinct ({mailRepeats} repeated); "
            + $"SMS: {sms.Accepted.Count} accepted, {sms.Delivered.Count} distinct ({smsRepeats} repeated); "
            + $"by type: {string.Join(", ", notify.GroupBy(m => m.Type).Select(g => $"{g.Key} {g.Count()}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(batchNotices, Is.GreaterThanOrEqualTo(batch.Count), "the batch queued notifications");
            Assert.That(notify.Where(m => !notifications.Any(n => n.Key == m.Key || n.Key.StartsWith(m.Key + "/", StringComparison.Ordinal))).Select(m => m.Key),
                Is.Empty, "each notification message has its in-app row");
            Assert.That(notifications.Where(n => n.Email != "sent").Select(n => $"{n.Key}: {n.Email}"), Is.Empty, "every demo user has an address: each got the mail");
            Assert.That(notifications.Where(n => n.Sms != "sent" && n.Sms != "not_used").Select(n => $"{n.Key}: {n.Sms}"), Is.Empty, "and the SMS where the kind goes by SMS");
            Assert.That(smtp.Mailbox.Select(m => m.MessageId), Is.EquivalentTo(mailIds), "the mailbox holds each mail once, none lost, none extra");
            Assert.That(smtp.Received.Select(m => m.MessageId).Distinct(), Is.EquivalentTo(mailIds), "every mail on the wire is one of them");
            Assert.That(sms.Delivered.Select(m => m.OutId), Is.EquivalentTo(outIds), "the phones got each SMS once, none lost, none extra");
            Assert.That(sms.Rejected, Is.Empty, "the SMS endpoint refused nothing");
        }
    }

    private sealed record Notice(string Key, string? Email, string? Sms);

    /// <summary><c>ntf_notifications</c>, the notifications module's table, read with plain SQL (this project does not open that module's context).</summary>
    private static async Task<List<Notice>> NotificationsAsync(WorkflowDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "MessageKey", "EmailStatus", "SmsStatus" FROM "ntf_notifications" """;
        var rows = new List<Notice>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new Notice(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return rows;
    }

    private sealed record Progress(int Cases, int Submitted, int Answered, int Sent, int Queued)
    {
        public bool IsComplete(Batch batch) => Cases >= batch.Count && Submitted >= batch.Count && Answered >= batch.AnswerableTotal && Sent == Queued;
        public override string ToString() => $"{Cases} cases, {Submitted} submitted, {Answered} answered, {Sent}/{Queued} messages sent";
    }

    private async Task<Progress> ProgressAsync(Batch batch)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var cases = db.Instances.Where(i => i.DefinitionId == DefinitionId && Applicants.Contains(i.Initiator!) && i.Status != WorkflowStatus.Cancelled);
        var caseCount = await cases.CountAsync();
        var submitted = await db.Tasks.CountAsync(t => t.ActivityId == "report" && t.Status == "Completed" && cases.Any(c => c.Id == t.InstanceId));
        var answered = await db.Tasks.CountAsync(t => t.ActivityId == "reply" && t.Status == "Completed" && cases.Any(c => c.Id == t.InstanceId));
        var sent = await db.Outbox.CountAsync(m => m.SentAt != null);
        var queued = await db.Outbox.CountAsync();
        return new Progress(caseCount, submitted, answered, sent, queued);
    }

    /// <summary>What the clients know of the batch: which case is which objection, and which reply tasks were answered.</summary>
    private sealed class Batch(int count)
    {
        private readonly ConcurrentDictionary<Guid, int> _indexOf = new();
        private readonly ConcurrentDictionary<Guid, int> _answered = new();
        private readonly ConcurrentDictionary<string, int> _notes = new(StringComparer.Ordinal);
        private readonly string?[] _providerOf = new string?[count];
        private int _created;
        private int _commands;

        public int Count => count;

        /// <summary>Commands the Host answered with success so far.</summary>
        public int Commands => Volatile.Read(ref _commands);

        public void Command() => Interlocked.Increment(ref _commands);
        public bool AllCreated => Volatile.Read(ref _created) == count;
        public IReadOnlyCollection<Guid> Instances => _indexOf.Keys.ToList();
        public IEnumerable<(Guid TaskId, int Approver)> Answered => _answered.Select(p => (p.Key, p.Value));
        public int AnswerableTotal => Enumerable.Range(0, count).Count(i => !LeftWaiting(i));

        public int Answerable(string unit)
        {
            lock (_providerOf) return Enumerable.Range(0, count).Count(i => _providerOf[i] == unit && !LeftWaiting(i));
        }

        public int AnsweredBy(int approver) => _answered.Values.Count(a => a == approver);
        public bool Knows(Guid instanceId) => _indexOf.ContainsKey(instanceId);
        public int? IndexOf(Guid instanceId) => _indexOf.TryGetValue(instanceId, out var index) ? index : null;

        public void Created(Guid instanceId, int index, string provider)
        {
            lock (_providerOf) _providerOf[index] = provider;
            if (_indexOf.TryAdd(instanceId, index)) Interlocked.Increment(ref _created);
        }

        public void Answer(Guid taskId, int approver) => _answered.TryAdd(taskId, approver);
        public void Note(string what) => _notes.AddOrUpdate(what, 1, (_, n) => n + 1);
        public string Summary() => _notes.IsEmpty ? "no retried command was found applied" : string.Join(", ", _notes.Select(n => $"{n.Key}: {n.Value}"));
    }
}
