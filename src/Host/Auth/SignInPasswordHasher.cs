namespace PdsWorkflow.Host.Auth;

/// <summary>
/// The engine's <see cref="Workflows.Organization.IUserPasswordHasher"/> in the hash format <see cref="SignInService"/>
/// verifies (<see cref="PasswordPolicy.Hash"/>), for the users the demo seeder and the platform-account step create.
/// </summary>
internal sealed class SignInPasswordHasher : Workflows.Organization.IUserPasswordHasher
{
    public string Hash(string password) => PasswordPolicy.Hash(password);
}
