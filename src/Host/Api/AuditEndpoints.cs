using System.Globalization;
using System.Text.Json;
using System.Text;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Exports;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The auditor's endpoints: instance search, verification (hash chain, covered records, signed checkpoints, anchor and
/// re-execution), the global streams (holiday notices…) and their verification, the step-through snapshots, and the
/// audit record as JSON or CSV. The instance's journal and its pinned definition come from
/// <see cref="EngineEndpoints"/>.
/// </summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(p => p.RequireRole(Roles.Auditor));

        audit.MapGet("/instances", async (string? definitionId, string? applicant, string? department, string? status, string? from,
                string? to, bool? overdue, int? page, int? pageSize, AuditQueries queries, CancellationToken ct) =>
        {
            if (Instant("from", from, "开始时间", out var start) is { } badFrom) return badFrom;
            if (Instant("to", to, "结束时间", out var end) is { } badTo) return badTo;
            var found = await queries.SearchAsync(new AuditSearch
            {
                DefinitionId = definitionId, Applicant = applicant, Department = department, Status = status, From = start, To = end, Overdue = overdue,
                Page = page ?? 1, PageSize = pageSize ?? 20,
            }, ct);
            return found.IsSuccess ? Results.Ok(found.Value) : Problems.FromFields(found.Error!);
        });
        audit.MapGet("/instances/{id:guid}/verify", async (Guid id, AuditVerifier verifier, CancellationToken ct) =>
            await verifier.VerifyAsync(id, ct) is { } verification
                ? Results.Ok(new
                {
                    verification.InstanceId, verification.IsIntactAndReproducible, verification.IsIntact, verification.IsReproducible, verification.Verdict,
                    verification.Checks,
                    HashChain = new { verification.HashChain.EntryCount, verification.HashChain.Violations },
                    verification.Integrity,
                    verification.Replay,
                })
                : InstanceNotFound(id));
        audit.MapGet("/streams", (CoveredRecords covered) => Results.Ok(covered.GlobalStreams.Select(stream => new
        {
            Stream = stream,
            Kinds = covered.All.Where(k => k.GlobalStream == stream).Select(k => new { k.Code, Name = k.DisplayName }),
        })));
        audit.MapGet("/streams/{stream}/verify", async (string stream, IntegrityVerifier verifier, CancellationToken ct) =>
            await verifier.VerifyStreamAsync(stream, ct) is { } verification
                ? Results.Ok(new { verification.Stream, verification.Entries, verification.Passed, verification.Chain, verification.Integrity })
                : Problems.NotFound("stream_not_found", $"没有名为“{stream}”的平台级记录流。"));
        audit.MapGet("/instances/{id:guid}/snapshots", async (Guid id, JournalSnapshots snapshots, CancellationToken ct) =>
            await snapshots.GetAsync(id, ct) is { } list ? Results.Ok(list) : InstanceNotFound(id));
        audit.MapGet("/instances/{id:guid}/export", async (Guid id, string? format, AuditRecordExport export, HttpContext context, CancellationToken ct) =>
        {
            if (format is not (null or "json" or "csv" or "xlsx"))
                return Problems.Field("format", "unknown_export_format", $"不支持的导出格式“{format}”，可选 json、csv 或 xlsx。");
            if (await export.GetAsync(id, ct) is not { } record) return InstanceNotFound(id);
            var name = $"audit-{record.DefinitionId}-{id:N}";
            await context.LogSecurityAsync(SecurityEventKinds.Export, SecurityResults.Success, $"instance:{id}", $"审计记录 {format ?? "json"}");
            var (headers, rows) = AuditRecordExport.Table(record);
            return format switch
            {
                "csv" => Results.File(TabularFile.Csv(headers, rows), TabularFile.CsvContentType, name + ".csv"),
                "xlsx" => Results.File(TabularFile.Xlsx("审计记录", headers, rows), TabularFile.XlsxContentType, name + ".xlsx"),
                _ => Results.File(JsonSerializer.SerializeToUtf8Bytes(record, Json), "application/json; charset=utf-8", name + ".json"),
            };
        });
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>An ISO 8601 instant with its offset, or a field error (a time outside what DateTimeOffset holds in UTC included).</summary>
    private static IResult? Instant(string field, string? text, string label, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            value = parsed;
            return null;
        }

        return Problems.Field(field, "invalid_search", $"{label}格式错误或超出范围，应为 ISO 8601，例如 2026-02-13T00:00:00+08:00。");
    }

    private static IResult InstanceNotFound(Guid id) => Problems.NotFound("instance_not_found", $"找不到流程实例 {id}。");
}
