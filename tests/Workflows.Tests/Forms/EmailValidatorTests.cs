using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class EmailValidatorTests
{
    [TestCase("wang.fang@example.gov.cn", "wang.fang@example.gov.cn")]
    [TestCase("li_lei+pds@Example.COM", "li_lei+pds@example.com")]
    [TestCase("data-office@mail.pds-example.cn", "data-office@mail.pds-example.cn")]
    [TestCase("a1@b2.cn", "a1@b2.cn")]
    public void Valid_addresses_pass_with_the_domain_in_lower_case(string value, string expected)
    {
        var result = new EmailValidator().Validate(value, "电子邮箱");

        Assert.That(result.Normalized, Is.EqualTo(expected), result.Message);
    }

    [TestCase("wang.fang", TestName = "No at sign")]
    [TestCase("@example.cn", TestName = "No local part")]
    [TestCase("wang@", TestName = "No domain")]
    [TestCase("wang@example", TestName = "No top-level domain")]
    [TestCase("wang@example.c", TestName = "One-letter top-level domain")]
    [TestCase("wang..fang@example.cn", TestName = "Two dots in a row")]
    [TestCase(".wang@example.cn", TestName = "Leading dot")]
    [TestCase("wang fang@example.cn", TestName = "A space")]
    [TestCase("wang@-example.cn", TestName = "Domain label starting with a hyphen")]
    [TestCase("wang@example.cn.", TestName = "Trailing dot")]
    [TestCase("王芳@example.cn", TestName = "Chinese local part")]
    [TestCase("wang@@example.cn", TestName = "Two at signs")]
    public void Invalid_addresses_fail(string value)
    {
        var result = new EmailValidator().Validate(value, "电子邮箱");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo("email.invalid"));
            Assert.That(result.Message, Does.StartWith("电子邮箱不是有效的电子邮箱地址"));
        }
    }

    [Test]
    public void Overlong_addresses_fail()
    {
        var validator = new EmailValidator();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.Validate(new string('a', 65) + "@example.cn", "电子邮箱").IsValid, Is.False, "local part over 64");
            Assert.That(validator.Validate("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".cn", "电子邮箱").IsValid,
                Is.False, "address over 254");
        }
    }
}
