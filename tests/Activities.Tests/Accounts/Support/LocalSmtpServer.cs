using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PdsWorkflow.Activities.Tests.Accounts.Support;

/// <summary>
/// A small SMTP server on 127.0.0.1 for the tests (RFC 5321: HELO/EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET,
/// NOOP, QUIT). It keeps every message it accepted on the wire, and a mailbox that, like a mail store with duplicate
/// suppression, keeps one copy per Message-ID: what the recipient sees.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentDictionary<string, ReceivedMail> _mailbox = new(StringComparer.Ordinal);

    public LocalSmtpServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every message accepted, in order, duplicates included.</summary>
    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <summary>One message per Message-ID.</summary>
    public IReadOnlyList<ReceivedMail> Mailbox => _mailbox.Values.OrderBy(m => m.Sequence).ToList();

    public IReadOnlyList<ReceivedMail> MailboxOf(string recipient) => Mailbox.Where(m => m.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost PdsWorkflow test SMTP");
            string? from = null;
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "MAIL":
                        from = Address(line);
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        recipients.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        var mail = new ReceivedMail(Received.Count + 1, from ?? "", [.. recipients], data.ToString());
                        Received.Enqueue(mail);
                        _mailbox.TryAdd(mail.MessageId ?? Guid.NewGuid().ToString(), mail);
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>A message as received: envelope and the raw RFC 5322 text, with just enough MIME to read a test's attachment.</summary>
public sealed record ReceivedMail(int Sequence, string From, IReadOnlyList<string> Recipients, string Raw)
{
    public string? MessageId => Mime.Header(Raw, "Message-ID");

    public byte[] Attachment(string contentType) => Mime.Parts(Raw).First(p => Mime.Header(p, "Content-Type")?.StartsWith(contentType, StringComparison.OrdinalIgnoreCase) == true) is { } part
        ? Mime.DecodeBody(part)
        : throw new InvalidOperationException($"No {contentType} part.");

    public string TextBody() => Encoding.UTF8.GetString(Mime.DecodeBody(Mime.Parts(Raw).First(p => Mime.Header(p, "Content-Type")?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)));
}

/// <summary>Headers (unfolded), multipart parts and base64 bodies: what the tests need of RFC 2045/2046.</summary>
public static class Mime
{
    public static string? Header(string entity, string name)
    {
        var headers = entity[..Math.Max(0, entity.IndexOf("\r\n\r\n", StringComparison.Ordinal))].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase)) return line[(colon + 1)..].Trim();
        }

        return null;
    }

    public static IReadOnlyList<string> Parts(string entity)
    {
        var type = Header(entity, "Content-Type") ?? "";
        var at = type.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return [entity];
        var boundary = type[(at + "boundary=".Length)..].Split(';')[0].Trim().Trim('"');
        var body = entity[(entity.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return body.Split("--" + boundary)
            .Skip(1)
            .Where(p => !p.StartsWith("--", StringComparison.Ordinal))
            .Select(p => p.TrimStart('\r', '\n'))
            .SelectMany(Parts)
            .ToList();
    }

    public static byte[] DecodeBody(string part)
    {
        var body = part[(part.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return string.Equals(Header(part, "Content-Transfer-Encoding"), "base64", StringComparison.OrdinalIgnoreCase)
            ? Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))
            : Encoding.UTF8.GetBytes(body);
    }
}
