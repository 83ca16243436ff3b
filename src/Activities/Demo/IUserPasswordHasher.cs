namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// Hashes a sign-in password in the format the Host's sign-in verifies. The Host supplies it: its hasher is ASP.NET Core
/// Identity's, which lives in the ASP.NET Core shared framework this project does not reference (and should not: the
/// platform's activities run without a web server).
/// </summary>
public interface IUserPasswordHasher
{
    /// <summary>A self-contained hash (algorithm, salt, iterations) that does not depend on whose password it is.</summary>
    string Hash(string password);
}
