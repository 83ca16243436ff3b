using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Calendar;
using Quartz;

namespace PdsWorkflow.Workflows.Timers;

/// <summary>Recurring jobs (sweeps, archiving) on the engine's Quartz scheduler, on a cron in Beijing time.</summary>
public static class CronJobs
{
    /// <summary>Whether <paramref name="expression"/> is a Quartz cron expression.</summary>
    public static bool IsCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds <typeparamref name="TJob"/> with a cron trigger in Beijing time, beside <c>AddWorkflowTimers</c>. With
    /// <c>Timers:Enabled</c> false there is no scheduler and nothing is added. A misfired run (the node was down) runs once
    /// at the next start. On PostgreSQL the store is clustered, so a <see cref="DisallowConcurrentExecutionAttribute"/> job
    /// runs on one node at a time.
    /// </summary>
    public static IServiceCollection AddCronJob<TJob>(this IServiceCollection services, IConfiguration configuration, JobKey job, TriggerKey trigger,
        string cron, string description) where TJob : IJob
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetSection(TimerOptions.Section).GetValue(nameof(TimerOptions.Enabled), true)) return services;
        CalendarTimeZone.TryFind(WorkingDayCalendarOptions.ShanghaiTimeZoneId, out var beijing);
        return services.AddQuartz(quartz =>
        {
            quartz.AddJob<TJob>(j => j.WithIdentity(job).StoreDurably(true).WithDescription(description));
            quartz.AddTrigger(t => t.WithIdentity(trigger).ForJob(job)
                .WithCronSchedule(cron, c => c.InTimeZone(beijing).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
    }
}
