using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PdsWorkflow.Activities.Tests.Accounts.Support;

/// <summary>
/// A small SMTP server on 127.0.0.1 for the tests (RFC 5321: HELO/EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET,
/// NOOP, QUIT; with a certificate, STARTTLS (RFC 3207) or TLS from the first byte; with an account, AUTH PLAIN
/// (RFC 4954), required before MAIL). It keeps every message it accepted on the wire, and a mailbox that, like a mail
/// store with duplicate suppression, keeps one copy per Message-ID: what the recipient sees.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentDictionary<string, ReceivedMail> _mailbox = new(StringComparer.Ordinal);
    private readonly X509Certificate2? _certificate;
    private readonly bool _implicitTls;
    private readonly (string UserName, string Password)? _account;

    public LocalSmtpServer(X509Certificate2? certificate = null, bool implicitTls = false, (string UserName, string Password)? account = null)
    {
        _certificate = certificate;
        _implicitTls = implicitTls;
        _account = account;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every message accepted, in order, duplicates included.</summary>
    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <summary>One message per Message-ID.</summary>
    public IReadOnlyList<ReceivedMail> Mailbox => _mailbox.Values.OrderBy(m => m.Sequence).ToList();

    public IReadOnlyList<ReceivedMail> MailboxOf(string recipient) => Mailbox.Where(m => m.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>A self-signed certificate for localhost and 127.0.0.1, made for one test run (valid a day either side of now).</summary>
    public static X509Certificate2 SelfSignedCertificate(TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

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

    private sealed class Session(Stream stream)
    {
        public Stream Stream { get; private set; } = stream;
        public StreamReader Reader { get; private set; } = OpenReader(stream);
        public StreamWriter Writer { get; private set; } = OpenWriter(stream);
        public bool Encrypted { get; private set; }
        public string? User { get; set; }

        public async Task SecureAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
        {
            var tls = new SslStream(Stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
            (Stream, Reader, Writer, Encrypted, User) = (tls, OpenReader(tls), OpenWriter(tls), true, null);
        }

        private static StreamReader OpenReader(Stream stream) => new(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);

        private static StreamWriter OpenWriter(Stream stream) => new(stream, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var session = new Session(client.GetStream());
            try
            {
                if (_implicitTls) await session.SecureAsync(_certificate!, _stop.Token);
                await ConverseAsync(session);
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // The client gave up (a refused certificate, a test that ended): nothing was accepted.
            }
            finally
            {
                await session.Stream.DisposeAsync();
            }
        }
    }

    private async Task ConverseAsync(Session session)
    {
        await session.Writer.WriteLineAsync("220 localhost PdsWorkflow test SMTP");
        string? from = null;
        var recipients = new List<string>();
        while (await session.Reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var writer = session.Writer;
            var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    List<string> extensions = ["localhost"];
                    if (_certificate is not null && !session.Encrypted) extensions.Add("STARTTLS");
                    if (_account is not null) extensions.Add("AUTH PLAIN");
                    for (var i = 0; i < extensions.Count; i++) await writer.WriteLineAsync((i == extensions.Count - 1 ? "250 " : "250-") + extensions[i]);
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "STAR" when _certificate is not null && !session.Encrypted:
                    await writer.WriteLineAsync("220 2.0.0 Ready to start TLS");
                    await session.SecureAsync(_certificate, _stop.Token);
                    from = null;
                    recipients.Clear();
                    break;
                case "AUTH" when _account is { } account:
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 2 || !parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
                    {
                        await writer.WriteLineAsync("504 5.5.4 Unrecognized authentication type");
                        break;
                    }

                    var response = parts.Length > 2 ? parts[2] : null;
                    if (response is null)
                    {
                        await writer.WriteLineAsync("334 ");
                        response = await session.Reader.ReadLineAsync(_stop.Token) ?? "";
                    }

                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0');
                    if (fields.Length == 3 && fields[1] == account.UserName && fields[2] == account.Password)
                    {
                        session.User = fields[1];
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    }
                    else await writer.WriteLineAsync("535 5.7.8 Authentication credentials invalid");

                    break;
                case "MAIL" when _account is not null && session.User is null:
                    await writer.WriteLineAsync("530 5.7.0 Authentication required");
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
                    string? dataLine;
                    while ((dataLine = await session.Reader.ReadLineAsync(_stop.Token)) is not null && dataLine != ".")
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    // A client gone before the lone dot (a Host killed mid-message) delivered nothing, as with a real server.
                    if (dataLine is null) return;
                    var mail = new ReceivedMail(Received.Count + 1, from ?? "", [.. recipients], data.ToString()) { Encrypted = session.Encrypted, User = session.User };
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
    /// <summary>Whether the message came over TLS, and the user it was sent as (AUTH).</summary>
    public bool Encrypted { get; init; }

    public string? User { get; init; }

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
