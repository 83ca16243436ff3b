using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>Bound from the <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>
    /// A law or function change obliges the department to update its catalog within this many working days: 10 in
    /// Pingdingshan (004 第十一条); Zhengzhou uses 15.
    /// </summary>
    public int UpdateDutyWorkingDays { get; set; } = 10;

    /// <summary>The most rows one search page may ask for.</summary>
    public int MaxPageSize { get; set; } = 100;
}

public sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.UpdateDutyWorkingDays is < 1 or > 60)
            failures.Add($"Catalog:UpdateDutyWorkingDays is {options.UpdateDutyWorkingDays}; use 1 to 60 working days (004 第十一条 sets 10).");
        if (options.MaxPageSize is < 1 or > 1000)
            failures.Add($"Catalog:MaxPageSize is {options.MaxPageSize}; use 1 to 1000.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
