using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tasks;

/// <param name="InstanceId">The case, or null when the form comes with the request that creates it.</param>
/// <param name="Current">The form as stored (or the schema's initial data for a new case).</param>
/// <param name="ApplicantStep">The applicant's own step: the platform's facts are derived from what it submits.</param>
/// <param name="Draft">Saving without submitting: required fields may still be empty.</param>
public sealed record FormSubmission(string DefinitionId, string Initiator, FormSchema Schema, FormPermissions? Permissions, JsonObject Submitted,
    JsonObject Current, Guid? InstanceId, bool ApplicantStep, bool Draft);

/// <summary>What a submission comes to: the merged form and the platform's variables, or the errors (then nothing is written).</summary>
public sealed record FormSubmissionResult(IReadOnlyList<FormError> Errors, JsonObject Data, JsonObject Variables, string? RefusalCode)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The one check every path that takes a form runs (creating a case, saving a draft, submitting, a later step's edits):
/// the platform's facts from its records first (<see cref="RecordedFactsService"/>), then the schema with the step's
/// permissions over the form as the facts leave it, then the attachments the form names, which must have been uploaded
/// to this case and be of a type the field accepts (their name, size and type are taken from the stored file).
/// </summary>
public sealed class FormSubmissionChecker(FormValidator validator, RecordedFactsService facts)
{
    public async Task<FormSubmissionResult> CheckAsync(WorkflowDbContext db, FormSubmission submission, CancellationToken cancellationToken)
    {
        var current = (JsonObject)submission.Current.DeepClone();
        var recorded = RecordedFacts.None;
        if (submission.ApplicantStep && facts.Handles(submission.DefinitionId))
        {
            var candidate = (JsonObject)current.DeepClone();
            foreach (var field in submission.Schema.Fields.Where(f => !f.IsFilledByPlatform))
                if (submission.Submitted.TryGetPropertyValue(field.Key, out var value)) candidate[field.Key] = value?.DeepClone();
            recorded = await facts.DeriveAsync(new RecordedFactsRequest(db, submission.DefinitionId, submission.Initiator, candidate, !submission.Draft),
                cancellationToken);
            // Only the fields this form marks as the platform's: a source describes the case, each form shows what it has.
            foreach (var (key, value) in recorded.FormFields)
            {
                if (submission.Schema.FindField(key) is not { IsFilledByPlatform: true }) continue;
                if (value is null || (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0)) current.Remove(key);
                else current[key] = value.DeepClone();
            }
        }

        // What the platform's records settle is read-only; on other steps every field the platform fills is.
        var settled = submission.Schema.Fields.Where(f => f.IsFilledByPlatform)
            .Where(f => !submission.ApplicantStep || recorded.FormFields.ContainsKey(f.Key) || !facts.Handles(submission.DefinitionId))
            .Select(f => f.Key);
        var permissions = (submission.Permissions ?? FormPermissions.AllEditable).WithReadOnly(settled);
        var result = validator.Validate(submission.Schema, submission.Submitted, permissions, current);
        var errors = result.Errors.Where(e => !submission.Draft || e.Code is not ("required" or "requiredWhen")).Concat(recorded.Errors).ToList();
        var data = result.Data;
        if (errors.Count == 0) await CheckAttachmentsAsync(db, submission, data, errors, cancellationToken);
        return new FormSubmissionResult(errors, data, recorded.Variables, recorded.RefusalCode);
    }

    private static async Task CheckAttachmentsAsync(WorkflowDbContext db, FormSubmission submission, JsonObject data, List<FormError> errors,
        CancellationToken ct)
    {
        foreach (var field in submission.Schema.Fields.Where(f => f.Type == FormFieldType.File))
        {
            if (data[field.Key] is not JsonObject file || JsonNode.DeepEquals(file, submission.Current[field.Key])) continue;
            var id = Guid.TryParse(file["id"]?.GetValue<string>(), out var parsed) ? parsed : (Guid?)null;
            var stored = id is null || submission.InstanceId is null
                ? null
                : await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.InstanceId == submission.InstanceId, ct);
            if (stored is null)
            {
                errors.Add(new FormError(field.Key, "attachmentNotFound", submission.InstanceId is null
                    ? $"{field.Label}须先保存草稿、再上传到本申请"
                    : $"{field.Label}不是上传到本申请的附件，请重新上传"));
                continue;
            }

            var extension = Path.GetExtension(stored.FileName).TrimStart('.').ToLowerInvariant();
            if (field.Accept is { Count: > 0 } accept && !accept.Contains(extension))
            {
                errors.Add(new FormError(field.Key, "fileType", $"{field.Label}的文件类型应为 {string.Join("、", accept)} 之一"));
                continue;
            }

            data[field.Key] = new JsonObject
            {
                ["id"] = stored.Id.ToString(), ["name"] = stored.FileName, ["size"] = stored.Size, ["contentType"] = stored.ContentType,
            };
        }
    }
}
