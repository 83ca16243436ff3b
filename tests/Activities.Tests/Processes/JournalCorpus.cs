using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// Stored journals of cases of the shipped definitions, with the definition versions they ran on, kept in
/// <c>tests/Activities.Tests/JournalCorpus/</c>: the record an auditor re-executes must keep reproducing after the engine
/// or its expression language changes (the corpus was recorded under Jint 2.10). <see cref="EveryConnectionTests"/>
/// writes it when <c>PDS_WRITE_JOURNAL_CORPUS=1</c>; <see cref="JournalCorpusTests"/> replays it.
/// </summary>
public static class JournalCorpus
{
    public sealed record Case(InstanceRecord Instance, IReadOnlyList<JournalRecord> Journal);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Folder => Path.Combine(ShippedData.RepositoryRoot, "tests", "Activities.Tests", "JournalCorpus");

    private static string CasesFolder => Path.Combine(Folder, "cases");

    private static string DefinitionsFolder => Path.Combine(Folder, "definitions");

    public static bool Writing => Environment.GetEnvironmentVariable("PDS_WRITE_JOURNAL_CORPUS") == "1";

    public static IEnumerable<string> CaseNames() => Directory.Exists(CasesFolder)
        ? Directory.GetFiles(CasesFolder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!
        : [];

    public static Case Read(string name) =>
        JsonSerializer.Deserialize<Case>(File.ReadAllText(Path.Combine(CasesFolder, name + ".json")), Json)!;

    public static IEnumerable<DefinitionRecord> Definitions() => Directory.GetFiles(DefinitionsFolder, "*.json").Order(StringComparer.Ordinal)
        .Select(f => JsonSerializer.Deserialize<DefinitionRecord>(File.ReadAllText(f), Json)!);

    /// <summary>Writes an ended case (and its children) with the definition versions they ran on; the name says where it came from.</summary>
    public static async Task WriteAsync(WorkflowDbContext db, Guid instanceId, string name)
    {
        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == instanceId);
        var journal = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync();
        var definition = await db.Definitions.AsNoTracking().SingleAsync(d => d.Id == instance.DefinitionVersionId);
        Directory.CreateDirectory(CasesFolder);
        Directory.CreateDirectory(DefinitionsFolder);
        await File.WriteAllTextAsync(Path.Combine(CasesFolder, name + ".json"), JsonSerializer.Serialize(new Case(instance, journal), Json));
        await File.WriteAllTextAsync(Path.Combine(DefinitionsFolder, $"{definition.DefinitionId}.v{definition.Version}.json"), JsonSerializer.Serialize(definition, Json));
        var children = await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId == instanceId).OrderBy(i => i.CreatedAt).Select(i => i.Id).ToListAsync();
        for (var i = 0; i < children.Count; i++) await WriteAsync(db, children[i], $"{name}.child{i + 1}");
    }
}
