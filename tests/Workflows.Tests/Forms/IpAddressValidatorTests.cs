using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class IpAddressValidatorTests
{
    private const string Label = "业务系统的政务外网 IP";

    [TestCase("59.207.12.34", "59.207.12.34")]
    [TestCase("10.0.0.1", "10.0.0.1")]
    [TestCase("255.255.255.254", "255.255.255.254")]
    public void IPv4_host_addresses_pass(string value, string expected)
    {
        Assert.That(new IpAddressValidator("ipv4", IpAddresses.Kind.V4).Validate(value, Label).Normalized, Is.EqualTo(expected));
    }

    [TestCase("59.207.12", "ip.invalid", TestName = "Three parts")]
    [TestCase("59.207.12.256", "ip.invalid", TestName = "Part over 255")]
    [TestCase("59.207.012.34", "ip.invalid", TestName = "Leading zero")]
    [TestCase("59.207.12.34.5", "ip.invalid", TestName = "Five parts")]
    [TestCase("1", "ip.invalid", TestName = "A bare number")]
    [TestCase("59.207.12.0/24", "ip.cidr", TestName = "A CIDR range")]
    [TestCase("127.0.0.1", "ip.notHost", TestName = "Loopback")]
    [TestCase("0.0.0.0", "ip.notHost", TestName = "Unspecified")]
    [TestCase("255.255.255.255", "ip.notHost", TestName = "Broadcast")]
    [TestCase("224.0.0.5", "ip.notHost", TestName = "Multicast")]
    [TestCase("240e:1::10", "ip.invalid", TestName = "IPv6 where IPv4 is asked")]
    public void Invalid_IPv4_addresses_fail(string value, string code)
    {
        var result = new IpAddressValidator("ipv4", IpAddresses.Kind.V4).Validate(value, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo(code));
            Assert.That(result.Message, Does.StartWith(Label + "：“"));
        }
    }

    [TestCase("240e:1::10", "240e:1::10")]
    [TestCase("240E:0001:0000:0000:0000:0000:0000:0010", "240e:1::10")]
    [TestCase("fd00::1", "fd00::1")]
    [TestCase("::ffff:59.207.12.34", "::ffff:59.207.12.34")]
    public void IPv6_host_addresses_pass_in_canonical_form(string value, string expected)
    {
        Assert.That(new IpAddressValidator("ipv6", IpAddresses.Kind.V6).Validate(value, Label).Normalized, Is.EqualTo(expected));
    }

    [TestCase("240e:1::10::1", "ip.invalid", TestName = "Two double colons")]
    [TestCase("240e:1:g::1", "ip.invalid", TestName = "Not hexadecimal")]
    [TestCase("fe80::1%eth0", "ip.invalid", TestName = "Zone index")]
    [TestCase("[240e:1::10]", "ip.invalid", TestName = "Brackets")]
    [TestCase("240e:1::/64", "ip.cidr", TestName = "IPv6 prefix")]
    [TestCase("::1", "ip.notHost", TestName = "IPv6 loopback")]
    [TestCase("::", "ip.notHost", TestName = "IPv6 unspecified")]
    [TestCase("ff02::1", "ip.notHost", TestName = "IPv6 multicast")]
    [TestCase("59.207.12.34", "ip.invalid", TestName = "IPv4 where IPv6 is asked")]
    public void Invalid_IPv6_addresses_fail(string value, string code)
    {
        Assert.That(new IpAddressValidator("ipv6", IpAddresses.Kind.V6).Validate(value, Label).Code, Is.EqualTo(code));
    }

    [TestCase("59.207.12.34", "59.207.12.34")]
    [TestCase("59.207.12.34, 59.207.12.35", "59.207.12.34, 59.207.12.35")]
    [TestCase("59.207.12.34，59.207.12.35、240E:1::10", "59.207.12.34, 59.207.12.35, 240e:1::10")]
    [TestCase("59.207.12.34\n59.207.12.35\r\n", "59.207.12.34, 59.207.12.35")]
    [TestCase("59.207.12.34;59.207.12.35,", "59.207.12.34, 59.207.12.35")]
    public void Address_lists_take_commas_and_line_breaks(string value, string expected)
    {
        var result = new IpListValidator().Validate(value, Label);

        Assert.That(result.Normalized, Is.EqualTo(expected), result.Message);
    }

    [TestCase("59.207.12.34, 59.207.12.300", "ip.invalid", "“59.207.12.300”不是有效的IPv4 或 IPv6 地址")]
    [TestCase("59.207.12.34, 59.207.12.0/28", "ip.cidr", "“59.207.12.0/28”是网段，请填写服务器的具体 IP 地址")]
    [TestCase("59.207.12.34\n59.207.12.34", "ip.duplicate", "“59.207.12.34”重复")]
    [TestCase("240e:1::10, 240E:1:0::10", "ip.duplicate", "重复")]
    [TestCase(", ，", "ip.invalid", "应至少填写一个 IP 地址")]
    [TestCase("59.207.12.34 59.207.12.35", "ip.invalid", "不是有效的")]
    public void Address_lists_fail_on_a_bad_entry(string value, string code, string message)
    {
        var result = new IpListValidator().Validate(value, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo(code));
            Assert.That(result.Message, Does.StartWith(Label).And.Contains(message));
        }
    }

    [Test]
    public void Every_bad_entry_of_a_list_is_named_in_one_message()
    {
        var result = new IpListValidator().Validate("59.207.12.0/24, 59.207.12.34, 59.207.12.300, 59.207.12.34", Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo("ip.cidr"), "the first problem's code");
            Assert.That(result.Message, Is.EqualTo($"{Label}：“59.207.12.0/24”是网段，请填写服务器的具体 IP 地址；“59.207.12.300”不是有效的IPv4 或 IPv6 地址；“59.207.12.34”重复"));
        }
    }

    [Test]
    public void The_ip_format_takes_either_family()
    {
        var validator = new IpAddressValidator("ip", IpAddresses.Kind.Any);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.Validate("59.207.12.34", Label).IsValid, Is.True);
            Assert.That(validator.Validate("240e:1::10", Label).IsValid, Is.True);
            Assert.That(validator.Validate("59.207.12.34, 59.207.12.35", Label).IsValid, Is.False);
        }
    }
}
