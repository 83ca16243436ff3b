using System.Net;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>The extranet addresses an authorisation allows: single IPv4 or IPv6 addresses, or CIDR networks.</summary>
public static class SourceAddresses
{
    /// <summary>The entries of a list separated by commas, semicolons, spaces or new lines, or the first one that is not an address.</summary>
    public static (IReadOnlyList<string> Entries, string? Invalid) Parse(string? text)
    {
        var entries = new List<string>();
        foreach (var part in (text ?? "").Split([',', '，', ';', '；', ' ', '\n', '\r', '\t', '、'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(part, out var address) && !part.Contains('/', StringComparison.Ordinal)) entries.Add(address.ToString());
            else if (IPNetwork.TryParse(part, out var network)) entries.Add(network.ToString());
            else return (entries, part);
        }

        return (entries, null);
    }

    /// <summary>True when <paramref name="source"/> is one of the allowed addresses or inside one of the networks.</summary>
    public static bool Allows(string allowed, IPAddress? source)
    {
        if (source is null) return false;
        if (source.IsIPv4MappedToIPv6) source = source.MapToIPv4();
        foreach (var entry in allowed.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (IPNetwork.TryParse(entry, out var network) && network.BaseAddress.AddressFamily == source.AddressFamily && network.Contains(source)) return true;
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                if (address.AddressFamily == source.AddressFamily && address.Equals(source)) return true;
            }
        }

        return false;
    }
}
