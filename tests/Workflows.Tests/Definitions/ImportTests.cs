using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Definitions;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ImportTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private string _folder = null!;

    private DefinitionImporter Importer => Services.GetRequiredService<DefinitionImporter>();

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "pds-import-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private async Task WriteAsync(string file, string id, string label) =>
        await File.WriteAllTextAsync(Path.Combine(_folder, file), DefinitionSerializer.Serialize(new DefinitionBuilder(id)
            .Add("start", "Start").Add("end", "End", ("result", Literal(label))).Chain("start", "end").Build()));

    [Test]
    public async Task Importing_an_unchanged_folder_twice_creates_nothing_the_second_time()
    {
        var id = UniqueId("imp");
        await WriteAsync("a.json", id, "one");

        var first = await Importer.ImportDirectoryAsync(_folder);
        var second = await Importer.ImportDirectoryAsync(_folder);

        Assert.That(first.Single().Outcome, Is.EqualTo(ImportOutcomes.Created));
        Assert.That(second.Single().Outcome, Is.EqualTo(ImportOutcomes.Unchanged));
        var versions = await Definitions.ListVersionsAsync(id);
        Assert.That(versions.Select(v => (v.Version, v.IsPublished, v.Source)), Is.EqualTo(new[] { (1, true, "file:a.json") }));
    }

    [Test]
    public async Task A_changed_file_becomes_a_new_published_version()
    {
        var id = UniqueId("imp");
        await WriteAsync("a.json", id, "one");
        await Importer.ImportDirectoryAsync(_folder);
        await WriteAsync("a.json", id, "two");

        var result = await Importer.ImportDirectoryAsync(_folder);
        var again = await Importer.ImportDirectoryAsync(_folder);

        Assert.That((result.Single().Outcome, result.Single().Version), Is.EqualTo((ImportOutcomes.Created, 2)));
        Assert.That(again.Single().Outcome, Is.EqualTo(ImportOutcomes.Unchanged));
        Assert.That((await Definitions.ListVersionsAsync(id)).Single(v => v.IsPublished).Version, Is.EqualTo(2));
        Assert.That((await StartAsync(id)).Result?.GetValue<string>(), Is.EqualTo("two"));
    }

    [Test]
    public async Task Invalid_and_unreadable_files_are_reported_and_publish_nothing()
    {
        var id = UniqueId("imp");
        await File.WriteAllTextAsync(Path.Combine(_folder, "broken.json"), "{ not json");
        await File.WriteAllTextAsync(Path.Combine(_folder, "invalid.json"), DefinitionSerializer.Serialize(new DefinitionBuilder(id)
            .Add("start", "Start").Add("x", "Pds.Unknown").Chain("start", "x").Build()));

        var results = await Importer.ImportDirectoryAsync(_folder);

        Assert.That(results.Single(r => r.File == "broken.json").Outcome, Is.EqualTo(ImportOutcomes.Unreadable));
        var invalid = results.Single(r => r.File == "invalid.json");
        Assert.That(invalid.Outcome, Is.EqualTo(ImportOutcomes.Invalid));
        Assert.That(invalid.Errors.Single().Code, Is.EqualTo("unknown_activity_type"));
        Assert.That((await Definitions.ListVersionsAsync(id)).Single().IsPublished, Is.False);
    }
}
