using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Accounts.FrontEnd;

/// <summary>
/// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, PostgreSQL's <c>pg_authid</c> format
/// <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>). Sending it instead of the password (as psql's
/// <c>\password</c> does) keeps the password itself out of the server's statement log. Passwords here are ASCII, which
/// SASLprep leaves unchanged.
/// </summary>
public static class ScramSecret
{
    public const int Iterations = 4096;

    public static string For(string password, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
