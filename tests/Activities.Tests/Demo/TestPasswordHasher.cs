using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Workflows.Organization;

namespace PdsWorkflow.Activities.Tests.Demo;

/// <summary>A recognisable stand-in: the Host's real hasher is tested with a sign-in in Host.Tests.</summary>
public sealed class TestPasswordHasher : IUserPasswordHasher
{
    public const string Prefix = "test-hash:";

    public string Hash(string password) => Prefix + password;
}
