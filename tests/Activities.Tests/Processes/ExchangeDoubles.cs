using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// Test doubles of the exchange steps (the real effects are the subject of their own tests): each records what it was
/// asked to do, under the real type name, so the process definitions run end to end.
/// </summary>
public static class ExchangeDoubles
{
    public sealed record Call(Guid InstanceId, string Type, JsonObject Inputs);

    public static ConcurrentQueue<Call> Calls { get; } = new();

    public static IReadOnlyList<Call> Of(Guid instanceId) => Calls.Where(c => c.InstanceId == instanceId).ToList();

    public static IServiceCollection AddExchangeDoubles(this IServiceCollection services) => services
        .AddActivity<PlatformAccountDouble>()
        .AddActivity<FrontEndAccountDouble>()
        .AddActivity<TableDouble>()
        .AddActivity<FilesDouble>()
        .AddActivity<AuthorizeDouble>()
        .AddActivity<ForwardDouble>()
        .AddActivity<ProxyDouble>()
        .AddActivity<RevokeDouble>();

    internal static void Record(ActivityExecutionContext context, params (string Name, JsonNode? Value)[] inputs) =>
        Calls.Enqueue(new Call(context.InstanceId, context.Descriptor.Type, new JsonObject(inputs.Select(i => KeyValuePair.Create(i.Name, i.Value?.DeepClone())))));
}

public abstract class Double : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        Run(context);
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }

    protected abstract void Run(ActivityExecutionContext context);
}

[Activity(IssuePlatformAccount.Type, DisplayName = "测试替身：平台账号")]
public sealed class PlatformAccountDouble : Double
{
    [Input(DisplayName = "申请表", Required = true)]
    public Input<JsonObject> Application { get; set; } = default!;

    [Input(DisplayName = "账号（平台核定）", Required = true)]
    public Input<JsonObject> Account { get; set; } = default!;

    protected override void Run(ActivityExecutionContext context) =>
        ExchangeDoubles.Record(context, ("application", context.Get(Application)), ("account", context.Get(Account)));
}

[Activity(IssueFrontEndAccount.Type, DisplayName = "测试替身：前置库账号")]
public sealed class FrontEndAccountDouble : Double
{
    [Input(DisplayName = "申请表", Required = true)]
    public Input<JsonObject> Application { get; set; } = default!;

    [Input(DisplayName = "账号（平台核定）", Required = true)]
    public Input<JsonObject> Account { get; set; } = default!;

    protected override void Run(ActivityExecutionContext context) =>
        ExchangeDoubles.Record(context, ("application", context.Get(Application)), ("account", context.Get(Account)));
}

/// <summary>Table and file exchange take the same inputs.</summary>
public abstract class SubscriptionExchangeDouble : Double
{
    [Input(DisplayName = "订阅", Required = true)]
    public Input<JsonObject> Subscription { get; set; } = default!;

    [Input(DisplayName = "层级")]
    public Input<string> TargetLevel { get; set; } = default!;

    protected override void Run(ActivityExecutionContext context) =>
        ExchangeDoubles.Record(context, ("subscription", context.Get(Subscription)), ("targetLevel", context.Get(TargetLevel)));
}

[Activity(ExchangeTable.Type, DisplayName = "测试替身：库表交换")]
public sealed class TableDouble : SubscriptionExchangeDouble;

[Activity(ExchangeFiles.Type, DisplayName = "测试替身：文件交换")]
public sealed class FilesDouble : SubscriptionExchangeDouble;

[Activity(AuthorizeInterface.Type, DisplayName = "测试替身：接口授权")]
public sealed class AuthorizeDouble : Double
{
    [Input(DisplayName = "申请", Required = true)]
    public Input<JsonObject> Request { get; set; } = default!;

    protected override void Run(ActivityExecutionContext context) => ExchangeDoubles.Record(context, ("request", context.Get(Request)));
}

[Activity(ForwardToProvince.Type, DisplayName = "测试替身：转交省级")]
public sealed class ForwardDouble : Activity
{
    [Input(DisplayName = "材料", Required = true)]
    public Input<JsonObject> Package { get; set; } = default!;

    [Output(DisplayName = "关联号")]
    public Output<string> CorrelationId { get; set; } = default!;

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        ExchangeDoubles.Record(context, ("package", context.Get(Package)));
        context.Set(CorrelationId, $"PROV-{context.InstanceId:N}");
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}

[Activity(RegisterProxiedResource.Type, DisplayName = "测试替身：代理省级资源")]
public sealed class ProxyDouble : Double
{
    [Input(DisplayName = "答复", Required = true)]
    public Input<JsonObject> Decision { get; set; } = default!;

    protected override void Run(ActivityExecutionContext context) => ExchangeDoubles.Record(context, ("decision", context.Get(Decision)));
}

/// <summary>By this double's convention the authorisation "ended" has already ended, so there is nothing to take back.</summary>
[Activity(RevokeInterfaceAuthorization.Type, DisplayName = "测试替身：收回接口授权")]
[Outcomes(Done, RevokeInterfaceAuthorization.Refused)]
public sealed class RevokeDouble : Activity
{
    public const string Ended = "ended";

    [Input(DisplayName = "授权编号", Required = true)]
    public Input<string> AuthorizationId { get; set; } = default!;

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = context.Get(AuthorizationId);
        ExchangeDoubles.Record(context, ("authorizationId", id));
        context.Complete(id == Ended ? RevokeInterfaceAuthorization.Refused : Done);
        return ValueTask.CompletedTask;
    }
}
