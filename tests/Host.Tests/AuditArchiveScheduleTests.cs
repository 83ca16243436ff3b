using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Persistence;
using Quartz;

namespace PdsWorkflow.Host.Tests;

/// <summary><c>Audit:ArchiveCron</c>: the Host archives on that schedule; without it, only the command archives.</summary>
public sealed class AuditArchiveScheduleTests
{
    private const string Sundays = "0 0 3 ? * SUN";

    [Test]
    public async Task With_a_cron_the_Host_schedules_archiving_in_Beijing_time_and_the_job_archives_what_is_past_retention()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"archive-{Guid.NewGuid():N}");
        await using var host = new HostFactory();
        await using var scheduled = host.WithWebHostBuilder(b => b.UseSetting("Audit:ArchiveCron", Sundays).UseSetting("Audit:ArchivePath", folder));
        try
        {
            var scheduler = await RunningSchedulerAsync(scheduled.Services);
            var trigger = await scheduler.GetTrigger(AuditArchiveJob.TriggerKey, CancellationToken.None) as ICronTrigger;
            Assert.That(trigger, Is.Not.Null, "the archive trigger is scheduled");
            Assert.That((trigger!.CronExpressionString, trigger.TimeZone.BaseUtcOffset), Is.EqualTo((Sundays, TimeSpan.FromHours(8))));

            // A mail sent in 2023 is past the 24 months; one sent yesterday is not.
            var (old, recent) = (Guid.NewGuid(), Guid.NewGuid());
            var now = scheduled.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            await using (var db = await scheduled.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            {
                foreach (var (id, sent) in new[] { (old, new DateTime(2023, 5, 8, 2, 0, 0, DateTimeKind.Utc)), (recent, now.AddDays(-1)) })
                    db.Outbox.Add(new OutboxRecord { Id = id, Type = "test.archived", Key = $"archive:{id:N}", PayloadJson = "{}", CreatedAt = sent, NextAttemptAt = sent, Attempts = 1, SentAt = sent });
                await db.SaveChangesAsync();
            }

            await scheduler.TriggerJob(AuditArchiveJob.Key, CancellationToken.None);
            var remaining = new List<Guid>();
            for (var waited = 0; waited < 300; waited++)
            {
                await using var db = await scheduled.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
                remaining = await db.Outbox.Where(m => m.Id == old || m.Id == recent).Select(m => m.Id).ToListAsync();
                if (!remaining.Contains(old)) break;
                await Task.Delay(100);
            }

            Assert.That(remaining, Is.EqualTo(new[] { recent }), "the old message left the database, the recent one stayed");
            var archived = Directory.GetFiles(folder, "archive-*.jsonl").Select(File.ReadAllText).ToList();
            Assert.That(archived, Has.Some.Contains(old.ToString()), "the old message is in an archive file");
            Assert.That(archived, Has.None.Contains(recent.ToString()));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Without_a_cron_nothing_is_scheduled()
    {
        await using var host = new HostFactory();
        var scheduler = await RunningSchedulerAsync(host.Services);
        Assert.That(await scheduler.GetTrigger(AuditArchiveJob.TriggerKey, CancellationToken.None), Is.Null);
    }

    [Test]
    public void An_invalid_cron_is_refused_at_start_up_in_Chinese()
    {
        var result = new AuditRetentionOptionsValidator().Validate(null, new AuditRetentionOptions { ArchiveCron = "every sunday" });
        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Audit:ArchiveCron").And.Contain("不是有效的 Quartz cron 表达式"));
        Assert.That(new AuditRetentionOptionsValidator().Validate(null, new AuditRetentionOptions { ArchiveCron = Sundays }).Succeeded, Is.True);
    }

    private static async Task<IScheduler> RunningSchedulerAsync(IServiceProvider services)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        for (var waited = 0; scheduler.Status != SchedulerStatus.Running && waited < 300; waited++) await Task.Delay(100);
        Assert.That(scheduler.Status, Is.EqualTo(SchedulerStatus.Running));
        return scheduler;
    }
}
