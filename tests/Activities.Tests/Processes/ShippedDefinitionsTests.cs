using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Definitions;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>Every process definition in definitions/ reads, validates against the real activity types, and round-trips.</summary>
public sealed class ShippedDefinitionsTests
{
    private ServiceProvider _services = null!;

    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(ShippedData.RepositoryRoot, "definitions"), "*.json").Select(Path.GetFileName).Order()!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine();
        services.AddPdsActivities(new ConfigurationBuilder().Build());
        _services = services.BuildServiceProvider();
    }

    [OneTimeTearDown]
    public void TearDown() => _services.Dispose();

    [TestCaseSource(nameof(Files))]
    public void The_definition_is_valid_and_publishable(string file)
    {
        var json = File.ReadAllText(Path.Combine(ShippedData.RepositoryRoot, "definitions", file));
        var definition = DefinitionSerializer.Deserialize(json);

        var errors = _services.GetRequiredService<DefinitionValidator>().Validate(definition);

        Assert.That(errors.Select(e => $"{e.ActivityId}/{e.Input}: {e.Message}"), Is.Empty);
        Assert.That(definition.Name, Is.Not.Empty);
        Assert.That(definition.Description, Is.Not.Empty);
        Assert.That(Path.GetFileNameWithoutExtension(file), Is.EqualTo(definition.DefinitionId), "one file per definition, named after it");
    }

    [TestCaseSource(nameof(Files))]
    public void Every_form_a_step_names_exists(string file)
    {
        var definition = DefinitionSerializer.Deserialize(File.ReadAllText(Path.Combine(ShippedData.RepositoryRoot, "definitions", file)));
        var forms = definition.Root.Activities.Select(a => a.GetInput("form")?.Expression.Value?.GetValue<string>()).OfType<string>().Distinct();
        Assert.That(forms.Where(f => !ShippedData.FormRegistry.TryGet(f, out _)), Is.Empty);
    }
}
