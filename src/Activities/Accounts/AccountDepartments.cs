using System.Text;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>The organisation unit an account is for, and its code in account, schema and file names.</summary>
public sealed record AccountDepartment(OrgUnitRecord Unit, string Code)
{
    private const int MaxCodeLength = 20;

    /// <summary>
    /// The unit named by the form's <c>department</c> (a county authority applies for its departments, a department for
    /// its secondary units), else the applicant's own unit.
    /// </summary>
    public static async Task<AccountDepartment> ResolveAsync(ActivityExecutionContext context, AccountApplication application)
    {
        var db = context.Db;
        var named = string.IsNullOrWhiteSpace(application.Department)
            ? null
            : await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Name == application.Department && u.IsActive, context.CancellationToken);
        if (named is not null) return new AccountDepartment(named, CodeOf(named.Id));

        var applicant = context.Initiator is null
            ? null
            : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == context.Initiator, context.CancellationToken);
        var unit = applicant is null
            ? null
            : await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == applicant.OrgUnitId, context.CancellationToken);
        return unit is null
            ? throw new WorkflowFaultException($"找不到申请部门“{application.Department}”，申请人“{context.Initiator}”也不属于任何单位，无法确定账号所属部门。")
            : new AccountDepartment(unit, CodeOf(unit.Id));
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
