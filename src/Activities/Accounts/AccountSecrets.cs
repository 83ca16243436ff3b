using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// The key every issued password is derived from. An issuance (one account step of one case) gets its own secret,
/// HMAC-SHA256(key, issuance key), from which its account password and its zip password are drawn: a retried step
/// re-derives the same ones, so it neither creates a second password nor needs to store one anywhere. The SMS handler
/// re-derives the zip password when it sends it, so the outbox holds no secret either.
/// </summary>
public sealed class AccountSecrets(IOptions<AccountsOptions> options)
{
    public const int MinKeyBytes = 32;

    private readonly Lazy<byte[]> _key = new(() => Load(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The secret of one issuance: 32 bytes that only the holder of the key can compute.</summary>
    public byte[] IssuanceSecret(string issuanceKey) =>
        HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes("pds-accounts/v1/" + issuanceKey));

    internal static byte[]? DecodeKey(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value.Trim());
            return bytes.Length >= MinKeyBytes ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Load(AccountsOptions options)
    {
        if (!string.IsNullOrEmpty(options.SecretKey))
            return DecodeKey(options.SecretKey) ?? throw new InvalidOperationException($"Accounts:SecretKey is not base64 of at least {MinKeyBytes} bytes.");

        var file = options.SecretKeyFile;
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinKeyBytes));
            try
            {
                // CreateNew: two nodes starting together on a shared folder keep whichever key was written first.
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(file, create);
                stream.Write(Encoding.ASCII.GetBytes(fresh));
            }
            catch (IOException) when (File.Exists(file))
            {
            }
        }

        return DecodeKey(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file} (Accounts:SecretKeyFile) is not base64 of at least {MinKeyBytes} bytes.");
    }
}
