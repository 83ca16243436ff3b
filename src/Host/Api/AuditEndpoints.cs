using System.Text.Json;
using System.Text;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The auditor's endpoints: instance search, verification (hash chain and re-execution), the step-through snapshots,
/// and the audit record as JSON or CSV. The instance's journal and its pinned definition come from
/// <see cref="EngineEndpoints"/>.
/// </summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(p => p.RequireRole(Roles.Auditor));

        audit.MapGet("/instances", async (string? definitionId, string? applicant, string? department, string? status, DateTimeOffset? from,
                DateTimeOffset? to, bool? overdue, int? page, int? pageSize, AuditQueries queries, CancellationToken ct) =>
            Problems.Ok(await queries.SearchAsync(new AuditSearch
            {
                DefinitionId = definitionId, Applicant = applicant, Department = department, Status = status, From = from, To = to, Overdue = overdue,
                Page = page ?? 1, PageSize = pageSize ?? 20,
            }, ct)));
        audit.MapGet("/instances/{id:guid}/verify", async (Guid id, AuditVerifier verifier, CancellationToken ct) =>
            await verifier.VerifyAsync(id, ct) is { } verification
                ? Results.Ok(new
                {
                    verification.InstanceId, verification.IsIntactAndReproducible, verification.IsIntact, verification.IsReproducible, verification.Verdict,
                    HashChain = new { verification.HashChain.EntryCount, verification.HashChain.Violations },
                    verification.Replay,
                })
                : InstanceNotFound(id));
        audit.MapGet("/instances/{id:guid}/snapshots", async (Guid id, JournalSnapshots snapshots, CancellationToken ct) =>
            await snapshots.GetAsync(id, ct) is { } list ? Results.Ok(list) : InstanceNotFound(id));
        audit.MapGet("/instances/{id:guid}/export", async (Guid id, string? format, AuditRecordExport export, HttpContext context, CancellationToken ct) =>
        {
            if (format is not (null or "json" or "csv")) return Problems.Field("format", "unknown_export_format", $"不支持的导出格式“{format}”，可选 json 或 csv。");
            if (await export.GetAsync(id, ct) is not { } record) return InstanceNotFound(id);
            var name = $"audit-{record.DefinitionId}-{id:N}";
            await context.LogSecurityAsync(SecurityEventKinds.Export, SecurityResults.Success, $"instance:{id}", $"审计记录 {format ?? "json"}");
            return format == "csv"
                ? Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(AuditRecordExport.ToCsv(record))], "text/csv; charset=utf-8", name + ".csv")
                : Results.File(JsonSerializer.SerializeToUtf8Bytes(record, Json), "application/json; charset=utf-8", name + ".json");
        });
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static IResult InstanceNotFound(Guid id) => Problems.NotFound("instance_not_found", $"找不到流程实例 {id}。");
}
