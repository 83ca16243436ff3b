using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>Signed-in clients of the demo users (password of the README), each with its session cookie and CSRF header.</summary>
public sealed class ApiSessions(HostFactory factory) : IDisposable
{
    public const string Password = "Pds@2026demo";
    private readonly Dictionary<string, HttpClient> _clients = [];

    public async Task<HttpClient> AsAsync(string userName)
    {
        if (_clients.TryGetValue(userName, out var existing)) return existing;
        return _clients[userName] = await factory.SignedInAsync(userName, Password);
    }

    /// <summary>The demo application by its correlation id, and its open task.</summary>
    public async Task<(Guid InstanceId, Guid TaskId)> DemoCaseAsync(string correlationId)
    {
        await using var db = await factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var instance = await db.Instances.SingleAsync(i => i.CorrelationId == correlationId);
        var task = await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == "Open").SingleAsync();
        return (instance.Id, task.Id);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }
}

internal static class Http
{
    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
