using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class UsccValidatorTests
{
    private const string Label = "统一社会信用代码";
    private const string CitedExample = "91350100M000100Y43";
    private readonly UsccValidator _validator = new();

    [TestCase(CitedExample)]
    [TestCase(FormsTestData.MunicipalAgencyCode)]
    [TestCase(FormsTestData.CountyCompanyCode)]
    [TestCase(FormsTestData.CountyAssociationCode)]
    [TestCase("124104004A5B6C7D17")]
    [TestCase("Y1410400000000019E")]
    [TestCase("93410421MA44GP2L8F")]
    public void Valid_codes_pass(string code)
    {
        var result = _validator.Validate(code, Label);

        Assert.That(result.IsValid, Is.True, result.Message);
        Assert.That(result.Normalized, Is.EqualTo(code));
    }

    [Test]
    public void The_cited_example_check_characters_are_computed_by_the_standards()
    {
        using (Assert.EnterMultipleScope())
        {
            // GB 11714: M=22, Y=34; 22×3 + 1×5 + 34×2 = 139; 11 − 139 mod 11 = 4.
            Assert.That(UsccValidator.ComputeOrganizationCheckCharacter("M000100Y"), Is.EqualTo('4'));
            Assert.That(UsccValidator.ComputeCheckCharacter("91350100M000100Y4"), Is.EqualTo('3'));
        }
    }

    [Test]
    public void Check_character_31_maps_to_zero()
    {
        // Look for a body whose weighted sum is 0 mod 31, where 31 − 0 = 31 must become '0'.
        var first17 = Enumerable.Range(0, 10_000)
            .Select(number => $"91410400MA{number:D4}K7")
            .Select(prefix => prefix + UsccValidator.ComputeOrganizationCheckCharacter(prefix.AsSpan(8, 8)))
            .First(candidate => WeightedSum(candidate) % 31 == 0);

        Assert.That(UsccValidator.ComputeCheckCharacter(first17), Is.EqualTo('0'));
    }

    [TestCase("91350100M000100Y44", "uscc.checkDigit", "统一社会信用代码校验位错误，应为 3", TestName = "Last character changed")]
    [TestCase("91350100M000100Y34", "uscc.organizationCode", "校验码错误，应为 4", TestName = "Last two swapped")]
    [TestCase("91351000M000100Y43", "uscc.checkDigit", "应为 A", TestName = "Two division digits swapped")]
    [TestCase("91350100M000101Y43", "uscc.organizationCode", "组织机构代码的校验码错误，应为 0", TestName = "Organisation body changed")]
    [TestCase("91350100M001000Y43", "uscc.organizationCode", "组织机构代码", TestName = "Organisation digits swapped")]
    [TestCase("91350100m000100y43", "uscc.lowercase", "字母应为大写", TestName = "Lower case")]
    [TestCase("91350100M000100Y4", "uscc.length", "应为18位，当前为17位", TestName = "Too short")]
    [TestCase("91350100M000100Y433", "uscc.length", "当前为19位", TestName = "Too long")]
    [TestCase("91350100I000100Y43", "uscc.charset", "第9位“I”不是有效字符", TestName = "Letter I")]
    [TestCase("91350100O000100Y43", "uscc.charset", "“O”", TestName = "Letter O")]
    [TestCase("91350100Z000100Y43", "uscc.charset", "“Z”", TestName = "Letter Z")]
    [TestCase("91350100S000100Y43", "uscc.charset", "“S”", TestName = "Letter S")]
    [TestCase("91350100V000100Y43", "uscc.charset", "“V”", TestName = "Letter V")]
    [TestCase("91350100M000100-43", "uscc.charset", "第16位", TestName = "Punctuation")]
    [TestCase("B1350100M000100Y43", "uscc.registrationAuthority", "登记管理部门代码“B”无效", TestName = "Unknown authority")]
    [TestCase("94350100M000100Y43", "uscc.category", "机构类别代码“4”不适用于登记管理部门代码“9”", TestName = "Category not of the authority")]
    [TestCase("Y2350100M000100Y43", "uscc.category", "不适用于", TestName = "Other authority has only category 1")]
    [TestCase("91990100M000100Y43", "uscc.division", "行政区划码“990100”无效", TestName = "No such province")]
    [TestCase("913501A0M000100Y43", "uscc.division", "“3501A0”", TestName = "Letter in the division")]
    public void Corrupted_codes_fail_with_a_code_and_a_message_naming_the_field(string code, string expectedCode, string messagePart)
    {
        var result = _validator.Validate(code, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsValid, Is.False);
            Assert.That(result.Code, Is.EqualTo(expectedCode));
            Assert.That(result.Message, Does.StartWith(Label).And.Contains(messagePart));
        }
    }

    [Test]
    public void Every_single_character_change_of_a_valid_code_is_caught()
    {
        var misses = new List<string>();
        foreach (var index in Enumerable.Range(0, 18))
        {
            foreach (var replacement in UsccValidator.Charset.Where(character => character != CitedExample[index]))
            {
                var corrupted = string.Concat(CitedExample.AsSpan(0, index), replacement.ToString(), CitedExample.AsSpan(index + 1));
                if (_validator.Validate(corrupted, Label).IsValid)
                {
                    misses.Add(corrupted);
                }
            }
        }

        Assert.That(misses, Is.Empty);
    }

    [Test]
    public void Every_swap_of_two_different_adjacent_characters_is_caught()
    {
        var misses = Enumerable.Range(0, 17)
            .Where(index => CitedExample[index] != CitedExample[index + 1])
            .Select(index => string.Concat(CitedExample[..index], CitedExample[index + 1].ToString(), CitedExample[index].ToString(),
                CitedExample[(index + 2)..]))
            .Where(swapped => _validator.Validate(swapped, Label).IsValid)
            .ToList();

        Assert.That(misses, Is.Empty);
    }

    [Test]
    public void Check_computation_refuses_characters_outside_the_charset()
    {
        Assert.That(() => UsccValidator.ComputeCheckCharacter("91350100I000100Y4"), Throws.ArgumentException);
    }

    private static int WeightedSum(string first17)
    {
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        return first17.Select((character, index) => UsccValidator.Charset.IndexOf(character, StringComparison.Ordinal) * weights[index]).Sum();
    }
}
