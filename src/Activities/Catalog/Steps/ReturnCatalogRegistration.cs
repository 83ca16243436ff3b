using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// 注册退回 (000 目录资源发布流程 三(二)2): the platform admin returns a registered entry with the problems found, which
/// are fed back to the provider's department admin. The return and the notices to the department admins (in-app and
/// e-mail, through the outbox) commit in the same burst; a unit without a department admin is told through its
/// contacts (<c>orgUnitId</c>).
/// </summary>
[Activity("Pds.Catalog.Return", Category = CategoryName, DisplayName = "注册退回",
    Description = "平台审核不通过，平台管理员把目录连同发现的问题退回部门管理员（已注册 → 注册退回），须逐条列出问题，并通知部门管理员。")]
[Outcomes(Done, Refused)]
public sealed class ReturnCatalogRegistration : CatalogEntryActivity
{
    public const string NoticeType = "notify.case";

    [Input(DisplayName = "发现的问题", Description = "逐条列出，例如 outputs.audit.comment.split('\\n')", UIHint = UIHints.Code, Required = true)]
    public Input<List<string>> Problems { get; set; } = default!;

    protected override async Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken)
    {
        var problems = (context.Get(Problems) ?? []).Select(p => p?.Trim() ?? "").Where(p => p.Length > 0).ToList();
        var returned = await session.ReturnRegistrationAsync(entryId, problems, cancellationToken);
        if (returned.IsSuccess) await NotifyAsync(context, returned.Value, problems, cancellationToken);
        return returned;
    }

    /// <summary>One notice per department admin of the provider, listing the problems.</summary>
    private static async Task NotifyAsync(ActivityExecutionContext context, CatalogVersionView version, IReadOnlyList<string> problems, CancellationToken ct)
    {
        var unit = version.ProviderOrgUnitId;
        var admins = await (from r in context.Db.UserRoles.AsNoTracking()
                            join u in context.Db.Users.AsNoTracking() on r.UserId equals u.Id
                            where r.Role == Roles.DepartmentAdmin && r.OrgUnitId == unit && u.IsActive
                            orderby u.Id
                            select u.Id).Distinct().ToListAsync(ct);
        var body = new StringBuilder();
        body.Append("资源目录“").Append(version.ResourceName).Append("”（").Append(version.ResourceCode).Append("）第").Append(version.Number)
            .Append("版的注册申请未通过平台审核，已退回贵单位部门管理员。平台发现的问题：\n");
        for (var i = 0; i < problems.Count; i++) body.Append(i + 1).Append(". ").Append(problems[i]).Append('\n');
        body.Append("请按问题修改目录后重新提交编审和注册（可转交本单位编目人员修改）。");
        var subject = $"资源目录注册退回：{version.ResourceName}";
        if (admins.Count == 0)
        {
            context.EnqueueMessage(NoticeType, Notice(context, subject, body.ToString(), user: null, unit), $"{context.ExecutionId:N}:catalog-returned:{unit}");
            return;
        }

        foreach (var admin in admins)
            context.EnqueueMessage(NoticeType, Notice(context, subject, body.ToString(), admin, unit), $"{context.ExecutionId:N}:catalog-returned:{admin}");
    }

    private static JsonObject Notice(ActivityExecutionContext context, string subject, string body, string? user, string unit)
    {
        var notice = new JsonObject { ["instanceId"] = context.InstanceId.ToString(), ["subject"] = subject, ["body"] = body };
        if (user is null) notice["orgUnitId"] = unit;
        else notice["user"] = user;
        return notice;
    }
}
