namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// 应用: a department's business system that calls interfaces through the gateway, with its credentials. The app key is
/// public; the secret is shown once (in the credentials letter, or to whoever rotates it) and only its hash is kept
/// (<see cref="AppSecrets"/>).
/// </summary>
public sealed class ApiApplication
{
    public Guid Id { get; init; }

    /// <summary>The public identifier sent in the <c>X-Pds-App-Key</c> header.</summary>
    public required string AppKey { get; init; }

    /// <summary>The business system, e.g. 婚姻登记系统.</summary>
    public required string Name { get; init; }

    public required string OrgUnitId { get; init; }

    /// <summary>SHA-256 of the current secret, hex.</summary>
    public string SecretHash { get; private set; } = "";

    /// <summary>1 for the issued secret, +1 at each rotation.</summary>
    public int SecretVersion { get; private set; }

    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime? SecretRotatedAt { get; private set; }

    /// <summary>The workflow step that issued the application, when one did: a retried step finds it again.</summary>
    public string? IssuanceKey { get; init; }

    public int Revision { get; private set; }

    internal void SetSecret(string secret, DateTime at, bool rotation)
    {
        SecretHash = AppSecrets.Hash(secret);
        SecretVersion++;
        if (rotation) SecretRotatedAt = at;
        Revision++;
    }
}
