using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Outbox;

namespace PdsWorkflow.Host.Api;

/// <summary>The outbox for platform administrators: messages the dispatcher gave up on, and sending one again.</summary>
public static class OutboxEndpoints
{
    public static IEndpointRouteBuilder MapOutboxEndpoints(this IEndpointRouteBuilder app)
    {
        var outbox = app.MapGroup("/api/outbox").WithTags("Outbox").RequireAuthorization(p => p.RequireRole(Roles.PlatformAdmin));
        outbox.MapGet("/dead-letters", async (OutboxAdmin admin, CancellationToken ct) => Results.Ok(await admin.DeadLettersAsync(ct)));
        outbox.MapGet("/{id:guid}", async (Guid id, OutboxAdmin admin, CancellationToken ct) =>
            await admin.FindAsync(id, ct) is { } message ? Results.Ok(message) : Problems.NotFound("outbox_message_not_found", $"发件箱中没有消息 {id}。"));
        outbox.MapPost("/{id:guid}/retry", async (Guid id, OutboxAdmin admin, HttpContext context, CancellationToken ct) =>
            await context.OkAudited(SecurityEventKinds.OutboxRetried, $"outbox:{id}", await admin.RetryAsync(id, context.User.UserId(), ct)));
        return app;
    }
}
