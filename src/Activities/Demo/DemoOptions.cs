namespace PdsWorkflow.Activities.Demo;

/// <summary>Bound from the <c>Demo</c> section.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// Seed the demo data when the Host starts on a SQLite database whose organisation tables are empty. Off unless set:
    /// the demo users share a published password, so a real site must not get them by accident.
    /// </summary>
    public bool SeedOnFirstStart { get; set; }

    /// <summary>The demo organisation: regions, units and their people.</summary>
    public string OrganizationFile { get; set; } = "definitions/demo/organization.json";

    /// <summary>Catalog entries (resources of seed 003) published under the demo departments.</summary>
    public string CatalogFile { get; set; } = "definitions/catalog/luohe-2020-batch1.json";

    /// <summary>In-flight applications started by demo users, so that the inboxes are not empty.</summary>
    public string ApplicationsFile { get; set; } = "definitions/demo/applications.json";
}
