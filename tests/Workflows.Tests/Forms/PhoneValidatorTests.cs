using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class PhoneValidatorTests
{
    private const string Label = "联系电话";

    [TestCase("13912345678", "13912345678")]
    [TestCase("19900001111", "19900001111")]
    [TestCase("139 1234 5678", "13912345678")]
    [TestCase("139-1234-5678", "13912345678")]
    [TestCase("+8613912345678", "13912345678")]
    [TestCase("86 139 1234 5678", "13912345678")]
    public void Mobile_numbers_are_normalised_to_eleven_digits(string value, string expected)
    {
        var result = new MobileValidator().Validate(value, Label);

        Assert.That(result.Normalized, Is.EqualTo(expected), result.Message);
    }

    [TestCase("12912345678", TestName = "Second digit 2")]
    [TestCase("10912345678", TestName = "Second digit 0")]
    [TestCase("1391234567", TestName = "Ten digits")]
    [TestCase("139123456789", TestName = "Twelve digits")]
    [TestCase("23912345678", TestName = "Not starting with 1")]
    [TestCase("1391234567a", TestName = "A letter")]
    [TestCase("0375-3456789", TestName = "A landline")]
    public void Invalid_mobile_numbers_fail(string value)
    {
        var result = new MobileValidator().Validate(value, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsValid, Is.False);
            Assert.That(result.Code, Is.EqualTo("phone.mobile"));
            Assert.That(result.Message, Does.StartWith("联系电话应为11位手机号码"));
        }
    }

    [TestCase("0375-3456789", "0375-3456789")]
    [TestCase("0375-34567890", "0375-34567890")]
    [TestCase("037534567890", "0375-34567890")]
    [TestCase("0375 3456789", "0375-3456789")]
    [TestCase("(0375)3456789", "0375-3456789")]
    [TestCase("010-87654321", "010-87654321")]
    [TestCase("021-62345678", "021-62345678")]
    [TestCase("0375-3456789-801", "0375-3456789-801")]
    [TestCase("0375-3456789转801", "0375-3456789-801")]
    [TestCase("0375-3456789#12", "0375-3456789-12")]
    [TestCase("0375-3456789 ext. 12", "0375-3456789-12")]
    public void Landlines_need_an_area_code_and_are_normalised(string value, string expected)
    {
        var result = new LandlineValidator().Validate(value, Label);

        Assert.That(result.Normalized, Is.EqualTo(expected), result.Message);
    }

    [TestCase("3456789", TestName = "No area code")]
    [TestCase("0375-345678", TestName = "Six-digit local number")]
    [TestCase("0375-345678901", TestName = "Nine-digit local number")]
    [TestCase("0375-0456789", TestName = "Local number starting with 0")]
    [TestCase("0375-1456789", TestName = "Local number starting with 1")]
    [TestCase("011-87654321", TestName = "Three-digit area code other than 010 and 02x")]
    [TestCase("0175-3456789", TestName = "Four-digit area code starting 01")]
    [TestCase("375-3456789", TestName = "Area code without its 0")]
    [TestCase("0375-3456789-1234567", TestName = "Seven-digit extension")]
    public void Invalid_landlines_fail(string value)
    {
        var result = new LandlineValidator().Validate(value, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo("phone.landline"));
            Assert.That(result.Message, Does.StartWith("联系电话应为带区号的固定电话"));
        }
    }

    [TestCase("13912345678", "13912345678")]
    [TestCase("0375-3456789", "0375-3456789")]
    public void Mobile_or_landline_accepts_either(string value, string expected)
    {
        Assert.That(new MobileOrLandlineValidator().Validate(value, Label).Normalized, Is.EqualTo(expected));
    }

    [TestCase("3456789")]
    [TestCase("1391234567")]
    [TestCase("电话")]
    public void Mobile_or_landline_refuses_neither(string value)
    {
        var result = new MobileOrLandlineValidator().Validate(value, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo("phone.invalid"));
            Assert.That(result.Message, Is.EqualTo("联系电话应为11位手机号码或带区号的固定电话（如 0375-2345678）"));
        }
    }
}
