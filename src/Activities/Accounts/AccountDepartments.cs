using System.Text;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>The organisation unit an account is for, and its code in account, schema and file names.</summary>
public sealed record AccountDepartment(OrgUnitRecord Unit, string Code)
{
    private const int MaxCodeLength = 20;

    /// <summary>
    /// The account's unit as the platform settled it from its records (<see cref="AccountTarget"/>), still active; the
    /// bureau's own accounts are never issued by this process.
    /// </summary>
    public static async Task<AccountDepartment> ResolveAsync(ActivityExecutionContext context, AccountTarget target)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        var unit = await context.Db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == target.OrgUnitId && u.IsActive, context.CancellationToken)
            ?? throw new WorkflowFaultException($"账号所属单位“{target.OrgUnitId}”不存在或已停用，无法办理。");
        if (unit.Kind == OrgUnitKinds.Bureau) throw new WorkflowFaultException("市政务服务和大数据管理局本局的账号不通过账号申请流程办理。");
        return new AccountDepartment(unit, CodeOf(unit.Id));
    }

    /// <summary>The unit's id in lower case letters, digits and underscores (<c>yx-wjw</c> → <c>yx_wjw</c>), at most 20 characters.</summary>
    public static string CodeOf(string unitId)
    {
        var code = new StringBuilder();
        foreach (var c in unitId.ToLowerInvariant())
            code.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '_');
        var text = code.ToString().Trim('_');
        if (text.Length == 0 || !char.IsAsciiLetterLower(text[0])) text = "u" + text;
        return text.Length <= MaxCodeLength ? text : text[..MaxCodeLength];
    }
}
