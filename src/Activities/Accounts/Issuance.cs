using System.Security.Cryptography;
using System.Text;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// One account step of one case. Its key is the instance and the step, not the execution: a retry of the execution
/// keeps it, and so does the step run again after a burst that never committed (the approver approves a second time,
/// which schedules a fresh execution) — the account made before the crash is then found and reused, not doubled. The
/// marker written on the account in the other system (a role's comment, an FTP user's GECOS field) names the
/// department and a digest of the key, so the account can be found again and its department checked on a reset.
/// </summary>
public sealed record Issuance(string Key, string DepartmentCode)
{
    public const string MarkerPrefix = "pds/";

    public static Issuance Of(ActivityExecutionContext context, string departmentCode) =>
        new($"{context.InstanceId:N}/{context.ActivityId}", departmentCode);

    /// <summary><c>pds/&lt;department&gt;/&lt;digest&gt;</c>: no colon, so it fits a passwd-style field.</summary>
    public string Marker => $"{MarkerPrefix}{DepartmentCode}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)))[..32]}";

    /// <summary>The prefix every account issued for the department carries.</summary>
    public static string DepartmentMarker(string departmentCode) => $"{MarkerPrefix}{departmentCode}/";
}
