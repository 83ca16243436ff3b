using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Tests.Support;

/// <summary>The product's own data files as shipped: the holiday notices and the form schemas.</summary>
public static class ShippedData
{
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<FormSchemaRegistry> Forms = new(LoadForms);
    private static readonly Lazy<FormValidator> PlatformValidator = new(CreateValidator);

    public static string RepositoryRoot => Root.Value;

    public static string NoticesFolder => Path.Combine(RepositoryRoot, "definitions", "calendars", "cn");

    public static string FormsFolder => Path.Combine(RepositoryRoot, "definitions", "forms");

    public static IReadOnlyList<HolidayNotice> LoadNotices()
    {
        var loaded = HolidayNoticeFolder.Load(NoticesFolder);
        Assert.That(loaded.Errors, Is.Empty, "the shipped notice files must be valid");
        return loaded.Notices;
    }

    public static WorkingDayCalendar Calendar(WorkingDayCalendarOptions? options = null) => new(LoadNotices(), options);

    public static FormSchemaRegistry FormRegistry => Forms.Value;

    /// <summary>
    /// The validator of the shipped forms as the Host composes it: the engine's formats and rules and the platform's
    /// (src/Activities/DataSharing).
    /// </summary>
    public static FormValidator Validator => PlatformValidator.Value;

    private static FormSchemaRegistry LoadForms()
    {
        var loaded = FormSchemaFolder.Load(FormsFolder, Validator);
        Assert.That(loaded.Errors, Is.Empty, "the shipped form schemas must be valid");
        return new FormSchemaRegistry(loaded.Schemas);
    }

    private static FormValidator CreateValidator()
    {
        using var services = new ServiceCollection().AddDataSharing().AddForms().BuildServiceProvider();
        return services.GetRequiredService<FormValidator>();
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "PdsWorkflow.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No PdsWorkflow.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
