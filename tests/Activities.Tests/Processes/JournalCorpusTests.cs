using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// Each stored journal of the corpus (<see cref="JournalCorpus"/>), loaded into a fresh database with the definition
/// versions it ran on, is re-executed by the auditor's replayer and must reproduce every recorded entry.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class JournalCorpusTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    public static IEnumerable<TestCaseData> StoredCases() => JournalCorpus.CaseNames()
        .Select(name => new TestCaseData(name).SetName($"The stored journal of {name} re-executes identically"));

    protected override async Task ImportDefinitionsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        db.Definitions.AddRange(JournalCorpus.Definitions());
        await db.SaveChangesAsync();
    }

    [Test]
    public void The_corpus_has_cases_of_every_shipped_definition()
    {
        var shipped = Directory.GetFiles(Path.Combine(ShippedData.RepositoryRoot, "definitions"), "*.json").Select(Path.GetFileNameWithoutExtension);
        var stored = JournalCorpus.CaseNames().Select(n => JournalCorpus.Read(n!).Instance.DefinitionId).ToHashSet();
        Assert.That(stored, Is.SupersetOf(shipped));
    }

    [TestCaseSource(nameof(StoredCases))]
    public async Task A_stored_journal_re_executes_identically(string name)
    {
        var stored = JournalCorpus.Read(name);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            db.Instances.Add(stored.Instance);
            db.Journal.AddRange(stored.Journal);
            await db.SaveChangesAsync();
        }

        var replay = await Services.GetRequiredService<JournalReplayer>().ReplayAsync(stored.Instance.Id);

        Assert.That(replay, Is.Not.Null);
        Assert.That(replay!.Reproducible, Is.True, () => replay.FirstDifference?.Message ?? "");
        Assert.That(replay.EntriesReproduced, Is.EqualTo(stored.Journal.Count));
    }
}
