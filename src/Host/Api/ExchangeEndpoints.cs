using PdsWorkflow.Activities.Exchange.Data;

namespace PdsWorkflow.Host.Api;

/// <summary>A table or file exchange of a case with the files it delivered (empty for a table).</summary>
public sealed record ExchangeRunDetail(ExchangeRunView Run, IReadOnlyList<ExchangeRunFileView> Files);

/// <summary>The data exchanges of a case (<c>exc_runs</c>): progress while they run, counts and checksums when done.</summary>
public static class ExchangeEndpoints
{
    public static IEndpointRouteBuilder MapExchangeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/applications/{id:guid}/exchange", async (Guid id, Caller caller, CaseAccess access, IExchangeProgress progress, CancellationToken ct) =>
        {
            if (!await access.CanSeeCaseAsync(caller, id, ct)) return ApplicationEndpoints.CaseNotFound(id);
            var runs = await progress.OfInstanceAsync(id, ct);
            var details = new List<ExchangeRunDetail>(runs.Count);
            foreach (var run in runs)
                details.Add(new ExchangeRunDetail(run, run.Kind == ExchangeKind.File ? await progress.FilesAsync(run.Id, ct) : []));
            return Results.Ok(details);
        }).WithTags("Applications").RequireAuthorization();
        return app;
    }
}
