namespace PdsWorkflow.Activities.Accounts.FrontEnd;

/// <summary>What to do on the front-end server: a new login for the department, or a new password for an existing one.</summary>
public sealed record FrontEndAccountRequest(string DepartmentCode, AccountRequestType Action, string? ExistingAccount, Issuance Issuance, string Password);

/// <summary>What was done: the account, the schema it may use, where to connect, and a note for the journal.</summary>
public sealed record FrontEndAccount(string Name, string Schema, string Server, string Engine, string JournalNote);

/// <summary>
/// The departments' front-end exchange database (前置库): each department has its own schema <c>fe_&lt;code&gt;</c>, and its
/// logins may use that schema and no other. Idempotent per issuance: a retry finds the login made before (by the
/// issuance marker) and sets the same password again.
/// </summary>
public interface IFrontEndDatabase
{
    Task<FrontEndAccount> IssueAsync(FrontEndAccountRequest request, CancellationToken cancellationToken);
}

/// <summary>Names on the front-end server: the department's schema and its logins <c>db_&lt;code&gt;_NN</c>.</summary>
public static class FrontEndNames
{
    public static string Schema(string departmentCode) => $"fe_{departmentCode}";

    public static string AccountPrefix(string departmentCode) => $"db_{departmentCode}_";

    /// <summary>The lowest free <c>db_&lt;code&gt;_NN</c>.</summary>
    public static string NextAccount(string departmentCode, IEnumerable<string> taken)
    {
        var prefix = AccountPrefix(departmentCode);
        var used = taken.Where(t => t.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        for (var n = 1; ; n++)
        {
            var name = $"{prefix}{n:00}";
            if (!used.Contains(name)) return name;
        }
    }
}
