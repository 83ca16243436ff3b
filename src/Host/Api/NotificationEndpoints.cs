using System.Security.Claims;
using PdsWorkflow.Activities.Notifications;
using PdsWorkflow.Host.Auth;

namespace PdsWorkflow.Host.Api;

/// <summary>The signed-in user's in-app notifications (站内消息): list, unread count, mark read.</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        notifications.MapGet("/", async (ClaimsPrincipal user, NotificationService service, bool? unread, int? skip, int? take, CancellationToken ct) =>
            Results.Ok(await service.ListAsync(user.UserId(), unread ?? false, skip ?? 0, take ?? 20, ct))).Produces<NotificationPage>();
        notifications.MapGet("/unread-count", async (ClaimsPrincipal user, NotificationService service, CancellationToken ct) =>
            Results.Ok(new { unread = await service.UnreadCountAsync(user.UserId(), ct) }));
        notifications.MapPost("/{id:guid}/read", async (Guid id, ClaimsPrincipal user, NotificationService service, CancellationToken ct) =>
            Problems.Ok(await service.MarkReadAsync(user.UserId(), id, ct)));
        notifications.MapPost("/read-all", async (ClaimsPrincipal user, NotificationService service, CancellationToken ct) =>
            Results.Ok(new { marked = await service.MarkAllReadAsync(user.UserId(), ct) }));
        return app;
    }
}
