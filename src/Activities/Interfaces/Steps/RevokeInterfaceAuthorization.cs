using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// 收回授权 (001 第十九条): the provider decided to take back an authorisation unused for three months. Completes with
/// <see cref="Activity.Done"/>, or with <see cref="Refused"/> and the reason when the authorisation has meanwhile ended
/// (expired, terminated) and there is nothing to take back.
/// </summary>
[Activity(Type, Category = ExchangeCategories.Interfaces, DisplayName = "收回接口授权",
    Description = "数据提供方收回超过三个月未使用的服务接口授权，网关随即拒绝该授权的调用。")]
[Outcomes(Done, Refused)]
public sealed class RevokeInterfaceAuthorization : Activity
{
    public const string Type = "Pds.Interfaces.Revoke";
    public const string Refused = "Refused";

    [Input(DisplayName = "授权编号", Description = "例如 variables.authorizationId", UIHint = UIHints.Code, Required = true)]
    public Input<string> AuthorizationId { get; set; } = default!;

    [Input(DisplayName = "收回原因", UIHint = UIHints.Code)]
    public Input<string?> Reason { get; set; } = default!;

    [Output(DisplayName = "不通过原因")]
    public Output<string?> RefusalReason { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!Guid.TryParse(context.Get(AuthorizationId), out var id)) throw new WorkflowFaultException($"“{context.Get(AuthorizationId)}”不是有效的接口授权编号。");
        var reason = context.Get(Reason) is { Length: > 0 } given ? given : "获得授权后超过三个月未使用服务接口，数据提供方收回授权（《共享交换平台管理暂行办法》第十九条）";
        var service = context.GetRequiredService<InterfaceService>();
        var actor = context.Actor ?? context.Initiator ?? "system";
        var result = await service.InBurstAsync(context, async (db, ct) =>
        {
            var authorization = await db.Authorizations.FindAsync([id], ct);
            if (authorization is null) return InterfaceErrors.AuthorizationNotFound(id);
            var moved = authorization.Revoke(actor, service.Now, reason);
            if (!moved.IsSuccess) return moved.Error!;
            await db.SaveChangesAsync(ct);
            return moved;
        });
        if (result.IsSuccess)
        {
            context.AddJournalNote($"接口授权 {id} 已收回：{reason}");
            context.Complete(Done);
        }
        else
        {
            context.Set(RefusalReason, result.Error!.Detail);
            context.AddJournalNote($"接口授权 {id} 未收回：{result.Error.Detail}");
            context.Complete(Refused);
        }
    }
}
