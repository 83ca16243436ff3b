using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;
using static PdsWorkflow.Tests.Support.TestOrganization;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>
/// The inbox's indexes (M005, issue #9): which index each base query of <see cref="TaskQueries"/> runs on, read from the
/// database's own plan, and the migration on a database that holds tasks from before it. Speed itself is measured by
/// tests/Benchmarks (inbox), never here.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class InboxIndexTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private const string BeforeInboxIndexes = "20261122000004_OutboxDeadLetters";
    private const string AssigneeIndex = "IX_wf_tasks_AssigneeId_Status_DueAt";
    private const string InitiatorIndex = "IX_wf_instances_Initiator_CreatedAt";
    private const string CandidateIndex = "IX_wf_task_candidates_UserId_TaskId";
    private const string ClaimableIndex = "IX_wf_tasks_Claimable";

    [Test]
    public async Task Claimable_tasks_are_found_from_the_candidate_rows_and_assigned_ones_by_the_assignee_index()
    {
        var pool = UniqueId("pool");
        await PublishAsync(new DefinitionBuilder(pool).Add("start", "Start").UserTask("review", Role(Roles.ProviderApprover, "provider"))
            .Add("end", "End").Chain("start", "review").Connect("review:Approve", "end").Build());
        var run = await StartAsAsync(pool, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        var task = await OpenTaskAsync(run.InstanceId, "review");
        Assert.That((await Inbox.ClaimableAsync("gaj.approver1", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Contain(task.Id));

        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        // PostgreSQL prices a sequential scan of these few rows lowest; barred from it, it shows which indexes can serve.
        if (Provider == DatabaseProvider.PostgreSql) await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");

        var claimable = await PlanAsync(TaskQueries.Claimable(db, "gaj.approver1"));
        var mine = await PlanAsync(TaskQueries.Mine(db, "rsj.approver"));
        var applications = await PlanAsync(TaskQueries.Applications(db, "rsj.applicant"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Join("\n", claimable), Does.Not.Contain(AssigneeIndex), "no index offers AssigneeId IS NULL");
            if (Provider == DatabaseProvider.Sqlite)
            {
                Assert.That(claimable[0], Does.Contain(CandidateIndex), "the outer loop walks the user's candidate rows");
                Assert.That(claimable[1], Does.Contain(ClaimableIndex), "each candidate row is checked in the small index of open unclaimed tasks");
            }

            Assert.That(string.Join("\n", mine), Does.Contain(AssigneeIndex), "AssigneeId = @user satisfies the index's filter");
            Assert.That(string.Join("\n", applications), Does.Contain(InitiatorIndex));
        }
    }

    [Test]
    public async Task Migrating_a_database_with_tasks_from_before_the_inbox_indexes_keeps_the_inbox_answers()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(ShippedData.Calendar());
        services.AddWorkflowEngine(database: o =>
        {
            o.Provider = Provider;
            o.ConnectionString = database.ConnectionString;
        });
        await using var provided = services.BuildServiceProvider();
        var factory = provided.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeInboxIndexes);
            Assert.That(await IndexSqlAsync(db, AssigneeIndex), Does.Not.Contain("WHERE"), "before M005 the assignee index is whole");
            var now = Clock.GetUtcNow().UtcDateTime;
            var definition = new DefinitionRecord { Id = Guid.NewGuid(), DefinitionId = "old", Version = 1, Name = "旧流程", Json = "{}", ContentHash = "", CreatedAt = now };
            db.Definitions.Add(definition);
            // The instance row in the columns of that schema (the model has more since).
            var instanceId = Guid.NewGuid();
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"wf_instances\" (\"Id\", \"DefinitionId\", \"DefinitionVersionId\", \"DefinitionVersion\", \"Status\", \"Initiator\", \"StateJson\", " +
                "\"CreatedAt\", \"UpdatedAt\", \"JournalSequence\", \"JournalHeadHash\", \"Revision\") VALUES ({0}, 'old', {1}, 1, {2}, 'old.applicant', '{{}}', {3}, {3}, 0, '', 0)",
                instanceId, definition.Id, WorkflowStatus.Suspended, now);
            db.Tasks.Add(OldTask(instanceId, "assigned", "old.approver", now));
            var pooled = OldTask(instanceId, "pooled", null, now);
            db.Tasks.Add(pooled);
            db.TaskCandidates.AddRange(new TaskCandidateRecord { TaskId = pooled.Id, UserId = "old.approver" },
                new TaskCandidateRecord { TaskId = pooled.Id, UserId = "old.colleague" });
            await db.SaveChangesAsync();
        }

        await provided.GetRequiredService<WorkflowStore>().MigrateAsync(CancellationToken.None);

        var inbox = provided.GetRequiredService<TaskQueries>();
        var counts = await inbox.CountsAsync("old.approver");
        using (Assert.EnterMultipleScope())
        {
            await using var db = await factory.CreateDbContextAsync();
            Assert.That(await IndexSqlAsync(db, AssigneeIndex), Does.Contain("WHERE").And.Contain("\"AssigneeId\" IS NOT NULL"));
            Assert.That(await IndexSqlAsync(db, InitiatorIndex), Does.Contain("Initiator").And.Contain("CreatedAt"));
            Assert.That(await IndexSqlAsync(db, ClaimableIndex), Does.Contain("\"AssigneeId\" IS NULL").And.Contain("'Open'"));
            Assert.That((await inbox.MyTasksAsync("old.approver", new InboxQuery())).Items.Select(t => t.ActivityId), Is.EqualTo(new[] { "assigned" }));
            Assert.That((await inbox.ClaimableAsync("old.colleague", new InboxQuery())).Items.Select(t => t.ActivityId), Is.EqualTo(new[] { "pooled" }));
            Assert.That((counts.Mine, counts.Claimable), Is.EqualTo((1, 1)));
            Assert.That((await inbox.CountsAsync("old.applicant")).OpenApplications, Is.EqualTo(1));
            var application = (await inbox.MyApplicationsAsync("old.applicant")).Items.Single();
            Assert.That((application.ProcessName, application.CurrentSteps.Count), Is.EqualTo(("旧流程", 2)));
            Assert.That(application.CurrentSteps.Single(s => s.AssigneeId is null).Candidates, Is.EquivalentTo(new[] { "old.approver", "old.colleague" }));
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeInboxIndexes);
            Assert.That(await IndexSqlAsync(db, AssigneeIndex), Does.Contain("AssigneeId").And.Not.Contain("WHERE"), "M005's Down restores the whole index");
            Assert.That(await IndexSqlAsync(db, InitiatorIndex), Is.Null);
            Assert.That(await IndexSqlAsync(db, ClaimableIndex), Is.Null);
        }
    }

    private static TaskRecord OldTask(Guid instanceId, string activity, string? assignee, DateTime now) => new()
    {
        Id = Guid.NewGuid(), InstanceId = instanceId, BookmarkId = Guid.NewGuid(), ActivityId = activity, ActivityExecutionId = Guid.NewGuid(),
        DefinitionId = "old", Title = activity, Status = TaskStatuses.Open, SignerKind = SignerKinds.Primary, ApprovalMode = "single",
        AssigneeId = assignee, DueAt = now.AddDays(5), YellowAt = now.AddDays(4), CreatedAt = now,
    };

    /// <summary>The database's plan of the query as EF Core sends it (same SQL, same parameters), one line per row.</summary>
    private async Task<IReadOnlyList<string>> PlanAsync<T>(IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = (Provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(Provider == DatabaseProvider.Sqlite ? 3 : 0));
        Assert.That(lines, Is.Not.Empty, command.CommandText);
        return lines;
    }

    /// <summary>The index's definition as the database stores it, or null when there is no such index.</summary>
    private async Task<string?> IndexSqlAsync(WorkflowDbContext db, string index)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = Provider == DatabaseProvider.Sqlite
            ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @name"
            : "SELECT indexdef FROM pg_indexes WHERE indexname = @name";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@name";
        parameter.Value = index;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync() as string;
    }
}
