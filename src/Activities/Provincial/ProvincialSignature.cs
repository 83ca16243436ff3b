using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// The signature both directions of the provincial exchange carry: <c>X-Pds-Timestamp</c> (Unix seconds) and
/// <c>X-Pds-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 with the shared secret of the timestamp, a dot and the exact
/// body bytes. The timestamp is signed so that a captured request cannot be replayed outside the tolerance window.
/// </summary>
public static class ProvincialSignature
{
    public const string TimestampHeader = "X-Pds-Timestamp";
    public const string SignatureHeader = "X-Pds-Signature";
    private const string Scheme = "sha256=";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) => Scheme + Convert.ToHexStringLower(Mac(secret, timestamp, body));

    /// <summary>True when the signature is the secret's for this timestamp and body, and the timestamp is within the tolerance of now.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;
        if (signature is null || !signature.StartsWith(Scheme, StringComparison.Ordinal)) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Scheme.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, seconds, body));
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
