using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// Application credentials. A secret is 256 bits, written base64url (43 characters); only its SHA-256 is stored, which
/// is enough for a secret with that much entropy (a password needs a slow hash, a random key does not). A secret issued
/// by a workflow step is drawn from the issuance's secret (accounts' <c>AccountSecrets</c>), so a retried step issues
/// the same one; a rotated secret is fresh from the system's random generator.
/// </summary>
public static class AppSecrets
{
    public const string KeyPrefix = "pds_";

    public static string NewAppKey() => KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The app key a step issues: derived from the issuance, the same on every retry.</summary>
    public static string AppKeyFrom(byte[] issuanceSecret) =>
        KeyPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(issuanceSecret, "api-app-key"u8))[..24];

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string SecretFrom(byte[] issuanceSecret) => Base64Url(HMACSHA256.HashData(issuanceSecret, "api-app-secret"u8));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares the presented secret's hash with the stored one in constant time.</summary>
    public static bool Verify(string? presented, string storedHash)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 256 || storedHash.Length != 64) return false;
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var expected = Convert.FromHexString(storedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
