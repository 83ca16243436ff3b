using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// Passwords drawn from a secret (see <see cref="AccountSecrets"/>): HMAC-SHA256 in counter mode as the random stream,
/// rejection sampling so that every character is equally likely. Account passwords are 20 characters of upper and
/// lower case letters, digits and symbols that need no quoting in a PostgreSQL literal, a pure-pw prompt or an FTP
/// client (no quote, backslash, space, colon, at, hash or semicolon); zip passwords are 12 letters and digits without
/// look-alikes, to be typed from an SMS.
/// </summary>
public static class CredentialGenerator
{
    public const int AccountPasswordLength = 20;
    public const int ZipPasswordLength = 12;

    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!%*+-.?^_~";

    private static readonly string[] AccountClasses = [Upper, Lower, Digits, Symbols];
    private static readonly string[] ZipClasses = [Upper, Lower, Digits];

    public static string AccountPassword(byte[] secret) => Derive(secret, "account-password", AccountPasswordLength, AccountClasses);

    public static string ZipPassword(byte[] secret) => Derive(secret, "zip-password", ZipPasswordLength, ZipClasses);

    /// <summary>True when the password has a character of every class an account password needs.</summary>
    public static bool IsStrong(string password) =>
        password.Length >= 16 && AccountClasses.All(c => password.Any(c.Contains));

    private static string Derive(byte[] secret, string purpose, int length, string[] classes)
    {
        var alphabet = string.Concat(classes);
        // A candidate lacking a class is drawn again from the next block of the stream (about one in six for accounts).
        for (var round = 0; ; round++)
        {
            var candidate = Draw(secret, $"{purpose}/{round}", length, alphabet);
            if (classes.All(c => candidate.Any(c.Contains))) return candidate;
        }
    }

    private static string Draw(byte[] secret, string label, int length, string alphabet)
    {
        var limit = 256 - 256 % alphabet.Length;
        var result = new StringBuilder(length);
        var counter = 0;
        while (result.Length < length)
        {
            var block = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{label}/{counter++}"));
            foreach (var b in block)
            {
                if (b >= limit) continue;
                result.Append(alphabet[b % alphabet.Length]);
                if (result.Length == length) break;
            }
        }

        return result.ToString();
    }
}
