using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>Bound from the <c>Accounts</c> configuration section.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>The role a new platform account gets in its department.</summary>
    public string PlatformRole { get; set; } = Roles.DataContact;

    /// <summary>Where applicants sign in, written into the credentials letter of a platform account.</summary>
    public string PlatformUrl { get; set; } = "http://localhost:5000";

    /// <summary>
    /// The key (base64, at least 32 bytes) every issued password is derived from, per issuance, so that a retried step
    /// re-issues the same password instead of a second one. Every node of a cluster needs the same key. When empty,
    /// <see cref="SecretKeyFile"/> is used, and created with a random key on first use.
    /// </summary>
    public string? SecretKey { get; set; }

    public string SecretKeyFile { get; set; } = "data/keys/accounts.key";
}

/// <summary>Names every bad <c>Accounts</c> setting at start-up.</summary>
internal sealed class AccountsOptionsValidator : IValidateOptions<AccountsOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountsOptions options)
    {
        var failures = new List<string>();
        if (!Roles.DisplayNames.ContainsKey(options.PlatformRole))
            failures.Add($"Accounts:PlatformRole '{options.PlatformRole}' is not a platform role; use one of {string.Join(", ", Roles.DisplayNames.Keys)}.");
        if (!Uri.TryCreate(options.PlatformUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            failures.Add($"Accounts:PlatformUrl '{options.PlatformUrl}' is not an absolute http(s) URL.");
        if (KeyMaterial.Problem(options.SecretKey, options.SecretKeyFile, "Accounts:SecretKey", "Accounts:SecretKeyFile") is { } key) failures.Add(key);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
