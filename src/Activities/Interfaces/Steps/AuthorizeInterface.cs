using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// 开通授权 (000 四, 001 第十五、十六条): grants the consumer's business system the interface the form names. The
/// interface is the provider's mounted interface of that name in the catalog; the application is the consumer
/// department's registered business system, created with credentials when it is new. New credentials go to the form's
/// contact as the accounts' encrypted letter (e-mail) with its zip password by SMS, through the outbox in this burst.
/// Keyed by instance and step: a retried or re-run step finds its authorisation and grants nothing twice. The journal
/// names the authorisation, the application and the app key, never the secret.
/// </summary>
[Activity(Type, Category = ExchangeCategories.Interfaces, DisplayName = "接口授权",
    Description = "为申请方应用开通接口授权（期限、系统、外网 IP、使用时段、调用量），由平台网关执行。")]
public sealed class AuthorizeInterface : Activity
{
    public const string Type = "Pds.Interfaces.Authorize";

    [Input(DisplayName = "接口申请", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Request { get; set; } = default!;

    [Output(DisplayName = "授权编号")]
    public Output<string> AuthorizationId { get; set; } = default!;

    [Output(DisplayName = "应用标识", Description = "网关调用时的 X-Pds-App-Key")]
    public Output<string> AppKey { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var request = InterfaceRequest.Read(context.Get(Request));
        var service = context.GetRequiredService<InterfaceService>();
        var issuanceKey = $"{context.InstanceId:N}/{context.ActivityId}";
        var ct = context.CancellationToken;

        await using (var existingDb = context.GetRequiredService<InterfacesDatabase>().Join(context.Db))
        {
            var existing = await existingDb.Authorizations.AsNoTracking().FirstOrDefaultAsync(a => a.ExecutionKey == issuanceKey, ct);
            if (existing is not null)
            {
                var appKey = await existingDb.Applications.Where(a => a.Id == existing.ApplicationId).Select(a => a.AppKey).FirstAsync(ct);
                Finish(context, existing.Id, appKey, $"接口授权 {existing.Id} 已由本环节开通，未重复办理。");
                return;
            }
        }

        var provider = await Routing.CaseParties.ProviderUnitAsync(context);
        InterfaceTarget target;
        await using (var catalog = context.GetRequiredService<CatalogDatabase>().Join(context.Db))
        {
            var targets = await InterfaceTargets.ByNameAsync(catalog, provider.Id, request.InterfaceName, ct);
            target = targets.Count switch
            {
                1 => targets[0],
                0 => throw new WorkflowFaultException($"{provider.Name}在资源目录中没有挂接名为“{request.InterfaceName}”的服务接口，无法授权；请提供方先挂接接口后由运维人员重试。"),
                _ => throw new WorkflowFaultException($"{provider.Name}挂接了 {targets.Count} 个名为“{request.InterfaceName}”的服务接口，无法确定授权哪一个。"),
            };
        }

        var consumer = await Routing.CaseParties.ApplicantUnitAsync(context);
        var secrets = context.GetRequiredService<AccountSecrets>();
        var actor = context.Actor ?? context.Initiator ?? "system";
        string? issuedSecret = null;
        var issuanceSecret = secrets.IssuanceSecret(issuanceKey);
        var result = await service.InBurstAsync(context, async (db, token) =>
        {
            var application = await db.Applications.FirstOrDefaultAsync(a => a.OrgUnitId == consumer.Id && a.Name == request.SystemName, token);
            if (application is null)
            {
                issuedSecret = AppSecrets.SecretFrom(issuanceSecret);
                application = service.NewApplication(AppSecrets.AppKeyFrom(issuanceSecret), request.SystemName, consumer.Id, actor, issuanceKey, issuedSecret);
                db.Applications.Add(application);
            }

            var authorization = ApiAuthorization.Grant(issuanceKey, context.InstanceId, target, consumer.Id, application, request.Terms, actor, service.Now);
            db.Authorizations.Add(authorization);
            await db.SaveChangesAsync(token);
            return (WorkflowResult<(ApiAuthorization Authorization, ApiApplication Application)>)(authorization, application);
        });
        var (granted, app) = result.Value;

        var term = $"{granted.TermStart:yyyy-MM-dd} 至 {granted.TermEnd:yyyy-MM-dd}";
        if (issuedSecret is not null)
        {
            var contact = new AccountApplication(AccountRequestType.New, null, request.ContactName, null, request.ContactEmail, request.ContactPhone);
            var mobile = contact.MobileNumber();
            var letter = new IssuedAccount("服务接口应用凭据", app.AppKey, issuedSecret, AccountRequestType.New,
            [
                ("应用（业务系统）", app.Name),
                ("授权接口", $"{target.Name}（接口编号 {target.MountId:N}）"),
                ("调用方式", $"请求平台网关 /gateway/{target.MountId:N}/…，请求头 X-Pds-App-Key 填账号，X-Pds-App-Secret 填密码"),
                ("授权期限", term),
                ("使用时段", granted.UsageHours),
            ]);
            var digest = CredentialDelivery.Enqueue(context, contact, mobile, consumer.Name, Issuance.Of(context, AccountDepartment.CodeOf(consumer.Id)), issuanceSecret, letter);
            Finish(context, granted.Id, app.AppKey,
                $"接口授权：已开通 {granted.Id}（{target.Name}，{consumer.Name}·{app.Name}，{term}，{granted.UsageHours}，日峰值 {granted.DailyPeak} 次）；" +
                $"新登记应用 {app.AppKey}，凭据加密附件（SHA-256 {digest}）发往 {request.ContactEmail}，解压密码短信发往尾号 {mobile[^4..]} 的手机，均已进入发件箱。");
        }
        else
        {
            context.EnqueueMessage("notify.case", new JsonObject
            {
                ["user"] = context.Initiator,
                ["instanceId"] = context.InstanceId.ToString(),
                ["subject"] = "服务接口已授权",
                ["body"] = $"{consumer.Name}的应用“{app.Name}”（{app.AppKey}）已获授权调用“{target.Name}”，期限 {term}，沿用该应用现有凭据。",
            });
            Finish(context, granted.Id, app.AppKey,
                $"接口授权：已开通 {granted.Id}（{target.Name}，{consumer.Name}·{app.Name}，{term}，{granted.UsageHours}，日峰值 {granted.DailyPeak} 次）；沿用已登记应用 {app.AppKey} 的凭据。");
        }
    }

    private void Finish(ActivityExecutionContext context, Guid authorizationId, string appKey, string note)
    {
        context.Set(AuthorizationId, authorizationId.ToString());
        context.Set(AppKey, appKey);
        context.AddJournalNote(note);
        context.Complete(Done);
    }
}
