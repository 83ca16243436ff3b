using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Timers;

namespace PdsWorkflow.Reliability.Node;

/// <summary>
/// A workflow node as the Host composes one, without the web server: the engine, the clustered Quartz timers and the
/// outbox dispatcher, with one activity and one handler of its own that deliver "pings" to a peer over HTTP. Used in
/// process (two nodes on one database) and as the child process the crash test kills.
/// </summary>
public static class NodeHost
{
    /// <summary>Settings: <c>Database:*</c>, <c>Timers:*</c>, <c>Outbox:*</c> as in the Host, and <c>Peer:Url</c>.</summary>
    public static IHost Build(IEnumerable<KeyValuePair<string, string?>> settings, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Timers:ThreadCount"] = "2",
            ["Outbox:PollInterval"] = "00:00:00.2",
            ["Outbox:FirstRetryDelay"] = "00:00:01",
            ["Outbox:MaxRetryDelay"] = "00:00:05",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddWorkflowEngine(builder.Configuration);
        builder.Services.AddWorkflowTimers(builder.Configuration);
        builder.Services.AddOutboxDispatcher(builder.Configuration);
        builder.Services.AddActivity<Ping>();
        builder.Services.Configure<PeerOptions>(builder.Configuration.GetSection(PeerOptions.Section));
        builder.Services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        builder.Services.AddOutboxHandler<PeerHandler>();
        return builder.Build();
    }
}

public sealed class PeerOptions
{
    public const string Section = "Peer";

    public string? Url { get; set; }
}

/// <summary>Queues one ping for the peer under a key that names the instance and the step: the same step never makes two.</summary>
[Activity(TypeName, DisplayName = "可靠性测试：通知对端")]
public sealed class Ping : Activity
{
    public const string TypeName = "Reliability.Ping";
    public const string MessageType = "reliability.ping";

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.EnqueueMessage(MessageType, new JsonObject { ["instance"] = context.InstanceId.ToString(), ["step"] = context.ActivityId },
            $"{context.InstanceId:N}:{context.ActivityId}");
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Posts a ping to the peer with the message key as its Idempotency-Key; waits in the outbox while no peer is set.</summary>
public sealed class PeerHandler(HttpClient http, IOptions<PeerOptions> options) : IOutboxHandler
{
    public string MessageType => Ping.MessageType;

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.Url);

    public async Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.Url) { Content = JsonContent.Create(message.Payload) };
        request.Headers.Add("Idempotency-Key", message.Key);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
