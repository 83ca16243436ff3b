using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PdsWorkflow.Activities.Tests.Accounts.Support;

/// <summary>The FTP server refused the user name and password (530).</summary>
public sealed class FtpLoginRefusedException(string reply) : Exception(reply);

/// <summary>
/// Just enough FTP (RFC 959: USER, PASS, TYPE, PASV, STOR, QUIT) to log in as an issued account and upload a file,
/// as a department's system would. FtpWebRequest would do, but it is obsolete (SYSLIB0014).
/// </summary>
public static class FtpTestClient
{
    public static async Task UploadAsync(string host, int port, string user, string password, string fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        using var control = new TcpClient();
        await control.ConnectAsync(host, port, cancellationToken);
        var stream = control.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 4096, leaveOpen: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };

        async Task<(int Code, string Text)> ReplyAsync()
        {
            var text = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                text.AppendLine(line);
                if (line.Length >= 4 && char.IsAsciiDigit(line[0]) && line[3] == ' ') return (int.Parse(line[..3], CultureInfo.InvariantCulture), text.ToString());
            }

            throw new IOException("The FTP server closed the connection.");
        }

        async Task<(int Code, string Text)> CommandAsync(string command)
        {
            await writer.WriteLineAsync(command);
            return await ReplyAsync();
        }

        Expect(await ReplyAsync(), 220);
        Expect(await CommandAsync($"USER {user}"), 331);
        var login = await CommandAsync($"PASS {password}");
        if (login.Code == 530) throw new FtpLoginRefusedException(login.Text);
        Expect(login, 230);
        Expect(await CommandAsync("TYPE I"), 200);
        var passive = await CommandAsync("PASV");
        Expect(passive, 227);
        var numbers = passive.Text[(passive.Text.IndexOf('(', StringComparison.Ordinal) + 1)..passive.Text.IndexOf(')', StringComparison.Ordinal)]
            .Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        using (var data = new TcpClient())
        {
            await data.ConnectAsync($"{numbers[0]}.{numbers[1]}.{numbers[2]}.{numbers[3]}", numbers[4] * 256 + numbers[5], cancellationToken);
            var store = await CommandAsync($"STOR {fileName}");
            if (store.Code is not (125 or 150)) throw new IOException($"FTP: STOR refused: {store.Text.Trim()}");
            await data.GetStream().WriteAsync(content, cancellationToken);
        }

        Expect(await ReplyAsync(), 226);
        await CommandAsync("QUIT");
    }

    private static void Expect((int Code, string Text) reply, int code)
    {
        if (reply.Code != code) throw new IOException($"FTP: expected {code}, got {reply.Text.Trim()}");
    }
}
