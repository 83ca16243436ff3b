using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>Checks the forms settings at start-up, including every schema file the registry will load.</summary>
public sealed class FormsOptionsValidator(FormValidator validator) : IValidateOptions<FormsOptions>
{
    public ValidateOptionsResult Validate(string? name, FormsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string setting = $"{nameof(FormsOptions)}.{nameof(FormsOptions.SchemasPath)}";
        if (string.IsNullOrWhiteSpace(options.SchemasPath))
        {
            return ValidateOptionsResult.Fail($"{setting} is empty; point it at the folder of form schemas, e.g. definitions/forms.");
        }

        var folder = Path.GetFullPath(options.SchemasPath);
        var failures = FormSchemaFolder.Load(folder, validator).Errors.Select(error => $"{setting} ({folder}): {error}").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
