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
    private readonly Lazy<byte[]> _key = new(() => Load(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The secret of one issuance: 32 bytes that only the holder of the key can compute.</summary>
    public byte[] IssuanceSecret(string issuanceKey) =>
        HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes("pds-accounts/v1/" + issuanceKey));

    private static byte[] Load(AccountsOptions options) =>
        KeyMaterial.Load(options.SecretKey, options.SecretKeyFile, "Accounts:SecretKey", "Accounts:SecretKeyFile");
}
