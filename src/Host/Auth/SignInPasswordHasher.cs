using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Workflows.Organization;

namespace PdsWorkflow.Host.Auth;

/// <summary>
/// Gives the demo seeder and the account steps the hash format <see cref="SignInService"/> verifies. (The two interfaces
/// say the same; the demo's predates the engine's.)
/// </summary>
internal sealed class SignInPasswordHasher : Workflows.Organization.IUserPasswordHasher
{
    /// <summary>Identity's PasswordHasher takes a user but does not use it: the hash holds its own random salt.</summary>
    private static readonly UserRecord Anyone = new() { Id = "", DisplayName = "", OrgUnitId = "" };

    public string Hash(string password) => SignInService.Hash(Anyone, password);
}
