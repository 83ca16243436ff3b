using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// Alibaba Cloud's RPC request signature, version 1.0 with HMAC-SHA1, as its SMS API documents it: parameters (all but
/// Signature) sorted by name, names and values percent-encoded in UTF-8 per RFC 3986 (only A–Z a–z 0–9 - _ . ~ stay
/// as they are, a space is %20), joined with = and &amp;; the string to sign is
/// <c>HTTPMethod &amp; percentEncode("/") &amp; percentEncode(canonicalized query)</c>; the signature is
/// Base64(HMAC-SHA1(AccessKeySecret + "&amp;", string to sign)).
/// </summary>
public static class AliyunSignature
{
    public static string PercentEncode(string value)
    {
        var encoded = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') encoded.Append(c);
            else encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return encoded.ToString();
    }

    /// <summary>The sorted, encoded parameters (ordinal order of the names, as the documented examples sort them).</summary>
    public static string CanonicalizedQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{PercentEncode(p.Key)}={PercentEncode(p.Value)}"));

    public static string StringToSign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters) =>
        $"{httpMethod}&{PercentEncode("/")}&{PercentEncode(CanonicalizedQuery(parameters))}";

    public static string Sign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(StringToSign(httpMethod, parameters))));
}
