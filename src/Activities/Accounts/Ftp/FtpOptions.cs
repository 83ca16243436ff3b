using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Accounts.Ftp;

/// <summary>
/// Bound from the <c>Ftp</c> configuration section: the pure-ftpd server whose virtual users (pure-pw's passwd file,
/// compiled into a PureDB file that pure-ftpd reads at each login) hold the departments' FTP accounts. The Host must
/// run where it can write those files. While <see cref="PasswdFile"/> is empty, FTP requests stop with an incident.
/// </summary>
public sealed class FtpOptions
{
    public const string Section = "Ftp";

    public string PurePw { get; set; } = "/usr/bin/pure-pw";
    public string? PasswdFile { get; set; }
    public string? DatabaseFile { get; set; }

    /// <summary>The system user (name or uid) that owns the virtual users' files.</summary>
    public string SystemUser { get; set; } = "ftpuser";

    /// <summary>Each account's home (and chroot) is a folder named after it here.</summary>
    public string HomeRoot { get; set; } = "/srv/ftp/pds";

    /// <summary>The server's address as the departments reach it, for the credentials letter.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 21;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PasswdFile);
}

/// <summary>Names every bad <c>Ftp</c> setting at start-up.</summary>
internal sealed class FtpOptionsValidator : IValidateOptions<FtpOptions>
{
    public ValidateOptionsResult Validate(string? name, FtpOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 1 or > 65535) failures.Add($"Ftp:Port '{options.Port}' must be between 1 and 65535.");
        if (options.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(options.DatabaseFile)) failures.Add("Ftp:DatabaseFile is required when Ftp:PasswdFile is set.");
            if (string.IsNullOrWhiteSpace(options.Host)) failures.Add("Ftp:Host is required when Ftp:PasswdFile is set.");
            if (string.IsNullOrWhiteSpace(options.SystemUser)) failures.Add("Ftp:SystemUser is required when Ftp:PasswdFile is set.");
            if (!Path.IsPathRooted(options.HomeRoot)) failures.Add($"Ftp:HomeRoot '{options.HomeRoot}' must be an absolute path.");
            if (!File.Exists(options.PurePw)) failures.Add($"Ftp:PurePw '{options.PurePw}' does not exist (Debian package pure-ftpd).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
