using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>The outcome of validating a submission.</summary>
public sealed class FormValidationResult
{
    internal FormValidationResult(IReadOnlyList<FormError> errors, JsonObject data)
    {
        Errors = errors;
        Data = data;
    }

    public bool IsValid => Errors.Count == 0;

    public IReadOnlyList<FormError> Errors { get; }

    /// <summary>
    /// The form's data after the submission: the current data with the editable fields replaced by the submitted,
    /// normalised values (strings trimmed, numbers as numbers, phones and codes in canonical form); empty values are
    /// left out. Meaningful to store only when <see cref="IsValid"/>.
    /// </summary>
    public JsonObject Data { get; }

    public IEnumerable<FormError> ErrorsFor(string field) => Errors.Where(error => error.Field == field);
}
