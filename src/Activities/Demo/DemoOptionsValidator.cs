using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Demo;

/// <summary>When the Host is to seed on its first start, the organisation file must be there and sound.</summary>
public sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    private const string Setting = $"{DemoOptions.Section}:{nameof(DemoOptions.OrganizationFile)}";

    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.OrganizationFile))
            return ValidateOptionsResult.Fail($"{Setting} is empty; point it at the demo organisation, e.g. definitions/demo/organization.json.");
        if (!options.SeedOnFirstStart) return ValidateOptionsResult.Success;

        var loaded = DemoOrganization.Load(options.OrganizationFile);
        return loaded.Errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(loaded.Errors.Select(error => $"{Setting} ({options.OrganizationFile}): {error}"));
    }
}
