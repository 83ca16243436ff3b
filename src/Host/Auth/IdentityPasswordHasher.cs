using PdsWorkflow.Workflows.Organization;

namespace PdsWorkflow.Host.Auth;

/// <summary>Gives the modules (platform accounts) the hash format <see cref="SignInService"/> verifies.</summary>
internal sealed class IdentityPasswordHasher : IUserPasswordHasher
{
    /// <summary>Identity's PasswordHasher takes a user but does not use it: the hash holds its own random salt.</summary>
    private static readonly UserRecord Anyone = new() { Id = "", DisplayName = "", OrgUnitId = "" };

    public string Hash(string password) => SignInService.Hash(Anyone, password);
}
