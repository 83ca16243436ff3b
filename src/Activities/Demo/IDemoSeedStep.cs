namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// One part of the demo data. <see cref="DemoSeeder"/> runs every registered step in <see cref="Order"/>; a module adds
/// its own with <see cref="DemoServiceCollectionExtensions.AddDemoSeedStep{TStep}"/>, without touching the seeder.
/// A step must be idempotent: what exists already is left as it is, so that a site's own changes win.
/// </summary>
public interface IDemoSeedStep
{
    /// <summary>Lower runs first; see <see cref="DemoSeedOrder"/>.</summary>
    int Order { get; }

    /// <summary>What the step seeds, as the operator reads it, e.g. "组织机构 (organization)".</summary>
    string Name { get; }

    Task<DemoSeedStepResult> SeedAsync(CancellationToken cancellationToken);
}

/// <summary>The steps' places: each later one may rely on what the earlier ones created.</summary>
public static class DemoSeedOrder
{
    /// <summary>Step 1: units, people, roles.</summary>
    public const int Organization = 100;

    /// <summary>The resource catalog: entries of the demo departments.</summary>
    public const int Catalog = 200;

    /// <summary>In-flight applications: instances of the process definitions, started by demo users.</summary>
    public const int Applications = 300;
}

/// <summary>One thing a step created: <paramref name="Kind"/> as the operator reads it ("单位", "用户"…), its id and name.</summary>
public sealed record DemoSeedItem(string Kind, string Id, string Name);

/// <summary>What a step did: what it created, and how many of its items existed already and were left as they were.</summary>
public sealed record DemoSeedStepResult(string Step, IReadOnlyList<DemoSeedItem> Created, int LeftAsTheyWere);
