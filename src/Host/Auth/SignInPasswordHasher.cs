using PdsWorkflow.Activities.Demo;

namespace PdsWorkflow.Host.Auth;

/// <summary>
/// Gives the demo seeder and the account steps the hash format <see cref="SignInService"/> verifies. (The two interfaces
/// say the same; the demo's predates the engine's.)
/// </summary>
internal sealed class SignInPasswordHasher : Workflows.Organization.IUserPasswordHasher
{
    public string Hash(string password) => PasswordPolicy.Hash(password);
}
