using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Activities.DataSharing;
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
    private const string StatusIndex = "IX_wf_tasks_Status_DueAt";

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
        // The 待办 list: both base queries in one UNION ALL, with the search and filters of issue #18 inside each branch.
        var filters = new InboxQuery { Search = "身份证", DefinitionId = pool, OrgUnitId = HumanResources, Level = PdsWorkflow.Workflows.Deadlines.WarningLevel.Normal };
        var todo = new Dictionary<InboxSort, IReadOnlyList<string>>();
        foreach (var sort in Enum.GetValues<InboxSort>())
            todo[sort] = await PlanAsync(TaskQueries.Ordered(Inbox.Todo(db, "gaj.approver1", filters), sort).Skip(200).Take(20));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Join("\n", claimable), Does.Not.Contain(AssigneeIndex), "no index offers AssigneeId IS NULL");
            if (Provider == DatabaseProvider.Sqlite)
            {
                Assert.That(claimable[0], Does.Contain(CandidateIndex), "the outer loop walks the user's candidate rows");
                Assert.That(claimable[1], Does.Contain(ClaimableIndex), "each candidate row is checked in the small index of open unclaimed tasks");
            }

            Assert.That(string.Join("\n", mine), Does.Contain(AssigneeIndex), "AssigneeId = @user satisfies the index's filter");
            foreach (var (sort, plan) in todo)
            {
                var text = string.Join("\n", plan);
                Assert.That(text, Does.Contain(AssigneeIndex).And.Contain(CandidateIndex), $"each branch of the 待办 union keeps its index ({sort}):\n{text}");
                Assert.That(text, Does.Not.Contain(StatusIndex), $"no walk over every open task ({sort})");
                Assert.That(plan, Has.None.Matches<string>(line => FullScanOfTasks(line)), $"searching does not scan the task table ({sort})");
            }
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
            // Rows as that schema has them, written in SQL: the entity classes have columns of later migrations.
            var now = Clock.GetUtcNow().UtcDateTime;
            var (definition, instance, assigned, pooled) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            await db.Database.ExecuteSqlInterpolatedAsync($$"""
                INSERT INTO "wf_definitions" ("Id", "DefinitionId", "Version", "Name", "IsLatest", "IsPublished", "Json", "ContentHash", "CreatedAt")
                VALUES ({{definition}}, 'old', 1, '旧流程', {{true}}, {{true}}, '{}', '', {{now}})
                """);
            await db.Database.ExecuteSqlInterpolatedAsync($$"""
                INSERT INTO "wf_instances" ("Id", "DefinitionId", "DefinitionVersionId", "DefinitionVersion", "Status", "Initiator", "StateJson",
                    "CreatedAt", "UpdatedAt", "JournalSequence", "JournalHeadHash", "Revision")
                VALUES ({{instance}}, 'old', {{definition}}, 1, {{WorkflowStatus.Suspended}}, 'old.applicant', '{}', {{now}}, {{now}}, 0, '', 0)
                """);
            foreach (var (id, activity, assignee) in new[] { (assigned, "assigned", (string?)"old.approver"), (pooled, "pooled", null) })
                await db.Database.ExecuteSqlInterpolatedAsync($$"""
                    INSERT INTO "wf_tasks" ("Id", "InstanceId", "BookmarkId", "ActivityId", "ActivityExecutionId", "DefinitionId", "Title", "Status",
                        "SignerKind", "ApprovalMode", "AssigneeId", "DueAt", "YellowAt", "ExtensionPending", "UrgeCount", "CreatedAt", "Revision")
                    VALUES ({{id}}, {{instance}}, {{Guid.NewGuid()}}, {{activity}}, {{Guid.NewGuid()}}, 'old', {{activity}}, {{TaskStatuses.Open}}, {{SignerKinds.Primary}},
                        'single', {{assignee}}, {{now.AddDays(5)}}, {{now.AddDays(4)}}, {{false}}, 0, {{now}}, 0)
                    """);
            foreach (var candidate in new[] { "old.approver", "old.colleague" })
                await db.Database.ExecuteSqlInterpolatedAsync($$"""INSERT INTO "wf_task_candidates" ("TaskId", "UserId") VALUES ({{pooled}}, {{candidate}})""");
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

    /// <summary>A plan line that reads the whole task table: SQLite's <c>SCAN w</c> without an index, PostgreSQL's <c>Seq Scan on wf_tasks</c>.</summary>
    private bool FullScanOfTasks(string line) => Provider == DatabaseProvider.Sqlite
        ? System.Text.RegularExpressions.Regex.IsMatch(line, @"^SCAN w[0-9]*$")
        : line.Contains("Seq Scan on wf_tasks", StringComparison.Ordinal);

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
