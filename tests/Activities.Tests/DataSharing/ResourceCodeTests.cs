using PdsWorkflow.Activities.DataSharing.Forms;

namespace PdsWorkflow.Activities.Tests.DataSharing;

public sealed class ResourceCodeTests
{
    private const string Label = "信息资源代码";

    [TestCase("10100101/0001", '1', "01", "001", "01", "0001")]
    [TestCase("2050030/1", '2', "05", "003", "0", "1")]
    [TestCase("301001/000001", '3', "01", "001", "", "000001")]
    [TestCase("341400100203/12", '3', "41", "400", "100203", "12")]
    public void Codes_split_into_classification_and_sequence(string text, char category, string item, string heading, string subheading, string sequence)
    {
        var code = ResourceCode.Parse(text, out var problem);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem, Is.Null);
            Assert.That(code, Is.EqualTo(new ResourceCode(category, item, heading, subheading, sequence)));
            Assert.That(code!.Value.ClassificationCode, Is.EqualTo(text.Split('/')[0]));
            Assert.That(code.Value.ToString(), Is.EqualTo(text));
        }
    }

    [TestCase(" 10100101 / 0001 ", "10100101/0001")]
    [TestCase("10100101／0001", "10100101/0001")]
    public void Spaces_and_a_full_width_slash_are_normalised(string text, string expected)
    {
        Assert.That(new ResourceCodeValidator().Validate(text, Label).Normalized, Is.EqualTo(expected));
    }

    [TestCase("101001010001", "resourceCode.separator", "信息资源代码应由分类码和顺序码组成，中间用“/”分隔", TestName = "No separator")]
    [TestCase("10100101/0001/2", "resourceCode.separator", "中间用“/”分隔", TestName = "Two separators")]
    [TestCase("40100101/0001", "resourceCode.category", "信息资源代码第1位为资源分类“类”，应为1（基础信息资源）、2（主题信息资源）或3（部门信息资源）", TestName = "Category 4")]
    [TestCase("00100101/0001", "resourceCode.category", "应为1", TestName = "Category 0")]
    [TestCase("/0001", "resourceCode.category", "应为1", TestName = "No classification")]
    [TestCase("10101/0001", "resourceCode.classification", "信息资源代码的分类码应为数字：类1位、项2位、目3位", TestName = "Heading too short")]
    [TestCase("1A100101/0001", "resourceCode.classification", "分类码应为数字", TestName = "Letter in the item")]
    [TestCase("10100101/", "resourceCode.sequence", "信息资源代码的顺序码应为从1起编的数字", TestName = "No sequence")]
    [TestCase("10100101/0000", "resourceCode.sequence", "从1起编", TestName = "Sequence zero")]
    [TestCase("10100101/00A1", "resourceCode.sequence", "从1起编", TestName = "Letter in the sequence")]
    public void Invalid_codes_fail(string text, string code, string message)
    {
        var result = new ResourceCodeValidator().Validate(text, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ResourceCode.TryParse(text, out _), Is.False);
            Assert.That(result.Code, Is.EqualTo(code));
            Assert.That(result.Message, Does.Contain(message));
        }
    }
}
