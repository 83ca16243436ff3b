using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts.Ftp;

/// <summary>
/// pure-ftpd virtual users, managed with Debian's <c>pure-pw</c>: each account is a line of its passwd file (login,
/// password hash, uid, gid, GECOS — where the issuance marker goes — and a chrooted home), compiled with <c>-m</c>
/// into the PureDB file pure-ftpd reads at every login, so changes apply at once without a restart. The password is
/// written to pure-pw's standard input (twice, as its prompt asks), never on a command line other processes can see.
/// One change at a time per process: pure-pw rewrites the whole file.
/// </summary>
public sealed class PureFtpdAccounts(IOptions<FtpOptions> options) : IFtpAccounts
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<FtpAccount> IssueAsync(FtpAccountRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured) throw new WorkflowFaultException("FTP 账号管理尚未配置（Ftp:PasswdFile），无法办理 FTP 账号；配置后由运维人员重试。");
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            var users = ReadUsers(settings.PasswdFile!);
            string name;
            string done;
            if (request.Action == AccountRequestType.Reset)
            {
                name = request.ExistingAccount!;
                var user = users.FirstOrDefault(u => u.Login == name) ?? throw new WorkflowFaultException($"FTP 服务器上没有账号“{name}”，无法重置密码。");
                if (!user.Gecos.StartsWith(Issuance.DepartmentMarker(request.DepartmentCode), StringComparison.Ordinal))
                    throw new WorkflowFaultException($"账号“{name}”不是平台为本部门开通的 FTP 账号，不能由本申请重置。");
                await PurePwAsync(settings, ["passwd", name, "-f", settings.PasswdFile!, "-F", settings.DatabaseFile!, "-m"], request.Password, cancellationToken);
                done = $"已重置 FTP 账号 {name} 的密码";
            }
            else if (users.FirstOrDefault(u => u.Gecos == request.Issuance.Marker) is { } earlier)
            {
                name = earlier.Login;
                await PurePwAsync(settings, ["passwd", name, "-f", settings.PasswdFile!, "-F", settings.DatabaseFile!, "-m"], request.Password, cancellationToken);
                done = $"FTP 账号 {name} 已由本次办理先前创建（重试），已重新设置同一密码";
            }
            else
            {
                name = NextAccount(request.DepartmentCode, users.Select(u => u.Login));
                var home = Path.Combine(settings.HomeRoot, name);
                await PurePwAsync(settings,
                    ["useradd", name, "-f", settings.PasswdFile!, "-F", settings.DatabaseFile!, "-u", settings.SystemUser, "-d", home, "-c", request.Issuance.Marker, "-m"],
                    request.Password, cancellationToken);
                done = $"已新建 FTP 账号 {name}（主目录 {home}，限定在其中）";
            }

            return new FtpAccount(name, settings.Host!, settings.Port, $"FTP（pure-ftpd {settings.Host}:{settings.Port}）：{done}");
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    /// <summary>The lowest free <c>ftp_&lt;code&gt;_NN</c>.</summary>
    public static string NextAccount(string departmentCode, IEnumerable<string> taken)
    {
        var used = taken.ToHashSet(StringComparer.Ordinal);
        for (var n = 1; ; n++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"ftp_{departmentCode}_{n:00}");
            if (!used.Contains(name)) return name;
        }
    }

    internal sealed record PasswdUser(string Login, string Gecos);

    /// <summary>pure-pw's passwd file: <c>login:hash:uid:gid:gecos:home:…</c>, one user a line.</summary>
    internal static List<PasswdUser> ReadUsers(string passwdFile)
    {
        if (!File.Exists(passwdFile)) return [];
        return File.ReadAllLines(passwdFile)
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length > 5 && fields[0].Length > 0)
            .Select(fields => new PasswdUser(fields[0], fields[4]))
            .ToList();
    }

    private static async Task PurePwAsync(FtpOptions settings, string[] arguments, string password, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.PurePw)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{settings.PurePw} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync($"{password}\n{password}\n".AsMemory(), cancellationToken);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(output, error);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pure-pw {arguments[0]} {arguments[1]} exited with {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}".Trim());
    }
}
