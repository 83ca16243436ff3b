using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;

namespace PdsWorkflow.Activities.Tests.Interfaces;

/// <summary>Where the gateway may send calls (SSRF): public addresses, and internal ones only when listed.</summary>
public sealed class UpstreamPolicyTests
{
    private static UpstreamPolicy Policy(params string[] allowed) => new(Options.Create(new GatewayOptions { AllowedUpstreams = allowed }));

    [TestCase("127.0.0.1")]
    [TestCase("127.8.9.10")]
    [TestCase("0.0.0.0")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.254")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    [TestCase("224.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("fd12:3456::1")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("::ffff:192.168.0.1")]
    [TestCase("64:ff9b::a01:203")]
    public void The_default_configuration_refuses_internal_addresses(string address)
    {
        Assert.That(Policy().Allows(IPAddress.Parse(address)), Is.False);
    }

    [TestCase("59.207.101.21")]
    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("240e:1::21")]
    [TestCase("::ffff:59.207.101.21")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.That(Policy().Allows(IPAddress.Parse(address)), Is.True);
    }

    [Test]
    public void A_listed_address_or_network_is_allowed_and_nothing_beyond_it()
    {
        var policy = Policy("10.8.0.0/16", "::1", "127.0.0.1");

        Assert.That(policy.Allows(IPAddress.Parse("10.8.3.4")), Is.True);
        Assert.That(policy.Allows(IPAddress.Parse("::ffff:10.8.3.4")), Is.True);
        Assert.That(policy.Allows(IPAddress.Parse("10.9.0.1")), Is.False);
        Assert.That(policy.Allows(IPAddress.Parse("::1")), Is.True);
        Assert.That(policy.Allows(IPAddress.Parse("127.0.0.1")), Is.True);
        Assert.That(policy.Allows(IPAddress.Parse("127.0.0.2")), Is.False);
    }

    [TestCase("http://localhost:8080/api", "内部网络地址")]
    [TestCase("http://127.0.0.1/api", "内部网络地址 127.0.0.1")]
    [TestCase("https://[::1]/api", "内部网络地址 ::1")]
    [TestCase("http://no-such-host.invalid/api", "无法解析")]
    [TestCase("ftp://59.207.101.21/api", "http:// 或 https://")]
    public async Task An_address_is_checked_by_what_it_resolves_to(string endpoint, string reason)
    {
        Assert.That(await Policy().CheckAsync(new Uri(endpoint), CancellationToken.None), Does.Contain(reason));
    }

    [Test]
    public async Task A_public_address_passes_the_check()
    {
        Assert.That(await Policy().CheckAsync(new Uri("https://59.207.101.21:8443/api/v1"), CancellationToken.None), Is.Null);
    }

    [Test]
    public void A_bad_setting_is_refused_at_start_up_naming_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:AllowedUpstreams:0"] = "10.0.0.0/33", ["Gateway:AllowedUpstreams:1"] = "intranet", ["Gateway:FailureLimit"] = "0",
        }).Build();
        using var services = new ServiceCollection().AddUpstreamPolicy(configuration).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<GatewayOptions>>().Value);

        Assert.That(failure!.Message, Does.Contain("Gateway:AllowedUpstreams entry '10.0.0.0/33'").And.Contain("'intranet'").And.Contain("Gateway:FailureLimit"));
    }
}
