namespace PdsWorkflow.Workflows.Organization;

/// <summary>
/// Hashes a platform user's password (<see cref="UserRecord.PasswordHash"/>) in the format the Host's sign-in verifies.
/// The Host supplies it: the hasher is ASP.NET Core Identity's, which lives in the ASP.NET Core shared framework that
/// the engine and the activities do not reference (they run without a web server).
/// </summary>
public interface IUserPasswordHasher
{
    /// <summary>A self-contained hash (algorithm, salt, iterations) that does not depend on whose password it is.</summary>
    string Hash(string password);
}
