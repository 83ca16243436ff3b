using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace PdsWorkflow.Workflows.Forms.Validators;

/// <summary>
/// Host IP addresses of the e-government extranet (政务外网). IPv4 must be four dotted decimal numbers 0–255 without
/// leading zeros; IPv6 any RFC 4291 text form without a zone index or brackets, normalised to its compressed lower-case
/// form. CIDR ranges are refused: the forms ask for the addresses of the business system's servers (业务系统服务器使用的
/// IP 地址), and a range would authorise a whole subnet. The unspecified, loopback, multicast and broadcast addresses are
/// refused too, as no server can use them.
/// </summary>
public static partial class IpAddresses
{
    public enum Kind
    {
        V4,
        V6,
        Any,
    }

    /// <summary>The canonical address, or the zh-CN problem (after the field's label) and its code.</summary>
    public static (string? Address, string? Code, string? Problem) Check(string value, Kind kind)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return (null, "ip.cidr", $"“{text}”是网段，请填写服务器的具体 IP 地址");
        }

        IPAddress? address = null;
        if (kind != Kind.V6 && Ipv4().IsMatch(text))
        {
            address = IPAddress.Parse(text);
        }
        else if (kind != Kind.V4 && text.Contains(':', StringComparison.Ordinal) && text.AsSpan().IndexOfAny("%[]") < 0 &&
                 IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address = parsed;
        }

        if (address is null)
        {
            var expected = kind switch
            {
                Kind.V4 => "IPv4 地址（如 59.207.1.10）",
                Kind.V6 => "IPv6 地址（如 240e:1::10）",
                _ => "IPv4 或 IPv6 地址",
            };
            return (null, "ip.invalid", $"“{text}”不是有效的{expected}");
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ||
            address.Equals(IPAddress.Broadcast) || IsMulticast(address))
        {
            return (null, "ip.notHost", $"“{text}”不是可分配给服务器的地址");
        }

        return (address.ToString(), null, null);
    }

    private static bool IsMulticast(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? address.GetAddressBytes()[0] is >= 224 and <= 239
        : address.IsIPv6Multicast;

    [GeneratedRegex("^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();
}

/// <summary>Formats "ipv4", "ipv6" and "ip" (either): one host address.</summary>
public sealed class IpAddressValidator(string name, IpAddresses.Kind kind) : IFormatValidator
{
    public string Name => name;

    public FormatResult Validate(string value, string label)
    {
        var (address, code, problem) = IpAddresses.Check(value, kind);
        return address is not null ? FormatResult.Valid(address) : FormatResult.Invalid(code!, $"{label}：{problem}");
    }
}

/// <summary>
/// Format "ipList": one or more IPv4 or IPv6 host addresses separated by commas (also ， 、 ；;), or line breaks, as an
/// extranet IP field may list several servers. Duplicates are refused. Normalised to the canonical addresses joined by
/// ", ". Empty entries (a trailing comma, a blank line) are ignored. Every bad entry is named in one message (the code is
/// the first one's), so that a list with several mistakes is corrected in one go.
/// </summary>
public sealed class IpListValidator : IFormatValidator
{
    private static readonly char[] Separators = [',', '，', '、', ';', '；', '\n', '\r'];

    public string Name => "ipList";

    public FormatResult Validate(string value, string label)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(Separators, StringSplitOptions.TrimEntries);
        var addresses = new List<string>();
        var problems = new List<(string Code, string Problem)>();
        foreach (var part in parts.Where(part => part.Length > 0))
        {
            var (address, code, problem) = IpAddresses.Check(part, IpAddresses.Kind.Any);
            if (address is null) problems.Add((code!, problem!));
            else if (addresses.Contains(address)) problems.Add(("ip.duplicate", $"“{part}”重复"));
            else addresses.Add(address);
        }

        if (problems.Count > 0) return FormatResult.Invalid(problems[0].Code, $"{label}：{string.Join("；", problems.Select(p => p.Problem))}");
        return addresses.Count == 0
            ? FormatResult.Invalid("ip.invalid", $"{label}应至少填写一个 IP 地址")
            : FormatResult.Valid(string.Join(", ", addresses));
    }
}
