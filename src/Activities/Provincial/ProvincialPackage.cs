using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// The transfer package (代理转交材料) sent to the province: the application form as the applicant filled it, and the
/// case's attachments by reference (file name, size, SHA-256) so the portal can check what it fetches against them.
/// </summary>
public static class ProvincialPackage
{
    public const string CorrelationIdField = "correlationId";

    /// <summary>The correlation id of one forwarding: stable across retries of the same execution.</summary>
    public static string CorrelationId(Guid executionId) => $"PROV-{executionId:N}";

    public static JsonObject Build(string correlationId, string platformCode, Guid caseId, string? applicant, string? forwardedBy,
        DateTimeOffset forwardedAt, JsonObject form, IEnumerable<AttachmentRecord> attachments) => new()
        {
            [CorrelationIdField] = correlationId,
            ["platform"] = platformCode,
            ["caseId"] = caseId.ToString(),
            ["applicant"] = applicant,
            ["forwardedBy"] = forwardedBy,
            ["forwardedAt"] = forwardedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["form"] = form.DeepClone(),
            ["attachments"] = new JsonArray(attachments.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id.ToString(),
                ["fileName"] = a.FileName,
                ["contentType"] = a.ContentType,
                ["size"] = a.Size,
                ["sha256"] = a.Sha256,
            }).ToArray()),
        };
}
