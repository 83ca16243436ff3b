using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Tests.Support;

public static class TestActivityRegistration
{
    public static IServiceCollection AddTestActivities(this IServiceCollection services) => services
        .AddActivity<Flaky>()
        .AddActivity<Broken>()
        .AddActivity<Notify>();
}

/// <summary>Fails the first <c>failures</c> attempts of each execution, then succeeds; retried by its policy.</summary>
[Activity("Test.Flaky", DisplayName = "测试：偶发失败")]
[RetryPolicy(3, 10)]
public sealed class Flaky : Activity
{
    [Input(DisplayName = "失败次数")]
    public Input<int> Failures { get; set; } = default!;

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Attempt <= context.Get(Failures)) throw new IOException($"上游暂不可用（第 {context.Attempt} 次）");
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Fails until the test repairs it for the instance; no automatic retry.</summary>
[Activity("Test.Broken", DisplayName = "测试：故障")]
public sealed class Broken : Activity
{
    public static ConcurrentDictionary<Guid, bool> Repaired { get; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!Repaired.GetValueOrDefault(context.InstanceId)) throw new InvalidOperationException("前置库连接被拒绝");
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Queues one outbox message, then fails when asked to, so a test can see that a failed execution leaves none.</summary>
[Activity("Test.Notify", DisplayName = "测试：通知")]
public sealed class Notify : Activity
{
    [Input(DisplayName = "失败")]
    public Input<bool> Fail { get; set; } = default!;

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.EnqueueMessage("email", new JsonObject { ["to"] = "someone@example.test", ["instance"] = context.InstanceId.ToString() });
        if (context.Get(Fail)) throw new InvalidOperationException("模板渲染失败");
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}
