using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(IReadOnlyList<Guid> Reminded, IReadOnlyList<Guid> Expired, IReadOnlyList<Guid> RevokeRequested);

/// <summary>
/// The daily sweep of authorisations (001 第十九条), a plain method so a fake clock can drive it:
/// a term ending within <see cref="InterfacesOptions.ReminderWorkingDays"/> working days → one reminder to the consumer
/// through the outbox (its key makes it once even if the sweep runs twice); a term past its last day → expired;
/// unused for <see cref="InterfacesOptions.UnusedMonths"/> months and not seasonal → a revoke case for the provider
/// (definitions/interface-revoke.json), started once: its correlation id is looked up before starting, so a sweep
/// that stopped between starting the case and marking the authorisation does not start a second.
/// </summary>
public sealed class InterfaceSweep(InterfacesDatabase database, WorkflowStore store, WorkflowRuntime runtime, WorkingDayCalendar calendar,
    IOptions<InterfacesOptions> options, TimeProvider clock)
{
    public const string RevokeDefinitionId = "interface-revoke";
    public const string ReminderType = "notify.interface-term-ending";
    public const string SweepActor = "system:interfaces-sweep";

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(InterfaceService.Beijing).DateTime);
        var expired = await ExpireAsync(now.UtcDateTime, today, cancellationToken);
        var reminded = await RemindAsync(now, today, cancellationToken);
        var revoke = await RequestRevocationsAsync(now, today, cancellationToken);
        return new SweepResult(reminded, expired, revoke);
    }

    private async Task<IReadOnlyList<Guid>> ExpireAsync(DateTime now, DateOnly today, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var due = await db.Authorizations
            .Where(a => (a.Status == ApiAuthorizationStatus.Active || a.Status == ApiAuthorizationStatus.Suspended) && a.TermEnd < today)
            .ToListAsync(cancellationToken);
        var done = due.Where(a => a.Expire(SweepActor, now, today).IsSuccess).Select(a => a.Id).ToList();
        await db.SaveChangesAsync(cancellationToken);
        return done;
    }

    private async Task<IReadOnlyList<Guid>> RemindAsync(DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var horizon = today.AddDays(options.Value.ReminderWorkingDays * 3 + 30);
        List<Guid> reminded = [];
        await using var engine = await store.CreateContextAsync(cancellationToken);
        await using var transaction = await engine.Database.BeginTransactionAsync(cancellationToken);
        await using var db = database.Join(engine);
        var candidates = await db.Authorizations
            .Where(a => a.Status == ApiAuthorizationStatus.Active && a.ReminderSentAt == null && a.TermEnd >= today && a.TermEnd <= horizon)
            .ToListAsync(cancellationToken);
        foreach (var authorization in candidates)
        {
            var lastDay = new DateTimeOffset(authorization.TermEnd.ToDateTime(new TimeOnly(23, 59, 59)), InterfaceService.Beijing);
            var left = calendar.WorkingDaysBetween(now, lastDay).WorkingDays;
            if (left > options.Value.ReminderWorkingDays) continue;
            var key = $"api-authorization:{authorization.Id:N}:term-ending";
            if (!await engine.Outbox.AnyAsync(m => m.Key == key, cancellationToken))
            {
                var consumerName = await engine.OrgUnits.Where(u => u.Id == authorization.ConsumerOrgUnitId).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken);
                var applicant = authorization.InstanceId is { } instanceId
                    ? await engine.Instances.Where(i => i.Id == instanceId).Select(i => i.Initiator).FirstOrDefaultAsync(cancellationToken)
                    : null;
                engine.Outbox.Add(new OutboxRecord
                {
                    Id = Guid.NewGuid(),
                    InstanceId = authorization.InstanceId,
                    Type = ReminderType,
                    Key = key,
                    PayloadJson = new JsonObject
                    {
                        ["orgUnitId"] = authorization.ConsumerOrgUnitId,
                        ["applicant"] = applicant,
                        ["authorizationId"] = authorization.Id.ToString(),
                        ["interfaceName"] = authorization.InterfaceName,
                        ["systemName"] = authorization.SystemName,
                        ["consumerName"] = consumerName ?? authorization.ConsumerOrgUnitId,
                        ["termEnd"] = authorization.TermEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                        ["workingDaysLeft"] = left,
                    }.ToJsonString(InterfacesJson.Stored),
                    CreatedAt = now.UtcDateTime,
                    NextAttemptAt = now.UtcDateTime,
                });
            }

            authorization.MarkReminded(now.UtcDateTime);
            reminded.Add(authorization.Id);
        }

        await engine.SaveChangesAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return reminded;
    }

    private async Task<IReadOnlyList<Guid>> RequestRevocationsAsync(DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var unusedSince = today.AddMonths(-options.Value.UnusedMonths);
        var cutoff = new DateTimeOffset(unusedSince.ToDateTime(TimeOnly.MinValue), InterfaceService.Beijing).UtcDateTime;
        List<ApiAuthorization> idle;
        await using (var db = database.CreateContext())
        {
            idle = (await db.Authorizations.AsNoTracking()
                    .Where(a => a.Status == ApiAuthorizationStatus.Active && a.RevokeRequestedAt == null && a.SeasonalWindowsJson == null &&
                                a.TermStart <= unusedSince && (a.LastCalledAt == null ? a.CreatedAt < cutoff : a.LastCalledAt < cutoff))
                    .ToListAsync(cancellationToken));
        }

        List<Guid> requested = [];
        foreach (var authorization in idle)
        {
            var correlation = $"api-revoke:{authorization.Id:N}";
            Guid? instanceId;
            await using (var engine = await store.CreateContextAsync(cancellationToken))
            {
                instanceId = await engine.Instances.Where(i => i.CorrelationId == correlation).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);
            }

            if (instanceId is null)
            {
                var started = await runtime.StartAsync(new StartWorkflowRequest(RevokeDefinitionId)
                {
                    CorrelationId = correlation,
                    Initiator = SweepActor,
                    Input = new JsonObject
                    {
                        ["authorizationId"] = authorization.Id.ToString(),
                        ["providerOrgUnitId"] = authorization.ProviderOrgUnitId,
                        ["summary"] = $"{authorization.ConsumerOrgUnitId} 的业务系统“{authorization.SystemName}”获授权调用“{authorization.InterfaceName}”后，" +
                                      $"自 {(authorization.LastCalledAt is { } last ? $"{last:yyyy-MM-dd} 最后一次调用" : $"{authorization.TermStart:yyyy-MM-dd} 授权生效")}起超过 {options.Value.UnusedMonths} 个月未使用。",
                    },
                }, cancellationToken);
                if (!started.IsSuccess) throw new InvalidOperationException($"Starting {RevokeDefinitionId} for {authorization.Id} failed: {started.Error}");
                instanceId = started.Value.InstanceId;
            }

            await using var db = database.CreateContext();
            var tracked = await db.Authorizations.FirstAsync(a => a.Id == authorization.Id, cancellationToken);
            tracked.MarkRevokeRequested(now.UtcDateTime, instanceId.Value);
            await db.SaveChangesAsync(cancellationToken);
            requested.Add(authorization.Id);
        }

        return requested;
    }
}
