namespace PdsWorkflow.Activities.Accounts.Ftp;

public sealed record FtpAccountRequest(string DepartmentCode, AccountRequestType Action, string? ExistingAccount, Issuance Issuance, string Password);

/// <summary>What was done: the account, where to connect, and a note for the journal.</summary>
public sealed record FtpAccount(string Name, string Host, int Port, string JournalNote);

/// <summary>
/// The FTP server's accounts: a new one for the department (<c>ftp_&lt;code&gt;_NN</c>, confined to its own folder), or
/// a new password for an existing one. Idempotent per issuance: a retry finds the account made before by its marker.
/// </summary>
public interface IFtpAccounts
{
    Task<FtpAccount> IssueAsync(FtpAccountRequest request, CancellationToken cancellationToken);
}
