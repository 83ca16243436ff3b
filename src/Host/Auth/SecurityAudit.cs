using System.Security.Claims;
using PdsWorkflow.Workflows.Audit;

namespace PdsWorkflow.Host.Auth;

/// <summary>The HTTP side's facts for a <see cref="SecurityEvent"/>: who is signed in, and from which address the request came.</summary>
public static class SecurityAudit
{
    /// <summary>The client's address as the Host sees it (after the forwarded-header rules of the deployment).</summary>
    public static string? SourceAddress(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    public static SecurityEvent SecurityEvent(this HttpContext context, string kind, string result, string? target, string? detail = null,
        string? actor = null) =>
        new(kind, result, actor ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier), context.SourceAddress(), target, detail);

    /// <summary>Writes the event on its own: for refusals and for actions that change nothing else.</summary>
    public static Task LogSecurityAsync(this HttpContext context, string kind, string result, string? target, string? detail = null,
        string? actor = null) =>
        context.RequestServices.GetRequiredService<SecurityLog>().WriteAsync(context.SecurityEvent(kind, result, target, detail, actor), context.RequestAborted);
}
