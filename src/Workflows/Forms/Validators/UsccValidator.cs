using System.Globalization;

namespace PdsWorkflow.Workflows.Forms.Validators;

/// <summary>
/// 统一社会信用代码 per GB 32100-2015 (with its amendment adding registration authorities 2–8, A and N): 18 characters
/// from 0-9 and the capitals without I, O, Z, S, V; 1 registration authority, 2 category (which depends on the
/// authority), 3–8 the registering authority's administrative division (GB/T 2260), 9–17 the organisation code (GB 11714,
/// its 9th character a check of its own), 18 the check character. Format name "uscc".
/// </summary>
public sealed class UsccValidator : IFormatValidator
{
    public const string Charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>3^i mod 31 for i = 0…16.</summary>
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>GB 11714 weights of the organisation code's 8 body characters.</summary>
    private static readonly int[] OrganizationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Category codes allowed after each registration authority code.</summary>
    private static readonly Dictionary<char, string> Categories = new()
    {
        ['1'] = "1239", // 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
        ['2'] = "19", // 外交: 外国常驻新闻机构, 其他
        ['3'] = "123459", // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
        ['4'] = "19", // 文化: 外国在华文化中心, 其他
        ['5'] = "1239", // 民政: 社会团体, 民办非企业单位, 基金会, 其他
        ['6'] = "129", // 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
        ['7'] = "129", // 宗教: 宗教活动场所, 宗教院校, 其他
        ['8'] = "19", // 工会: 基层工会, 其他
        ['9'] = "123", // 工商: 企业, 个体工商户, 农民专业合作社
        ['A'] = "19", // 中央军委改革和编制办公室: 军队事业单位, 其他
        ['N'] = "1239", // 农业: 组级、村级、乡镇级集体经济组织, 其他
        ['Y'] = "1", // 其他: 不再细分
    };

    /// <summary>First two digits of the provincial-level divisions of GB/T 2260.</summary>
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ];

    public string Name => "uscc";

    /// <summary>The 18th character for the first 17 (which must be from <see cref="Charset"/>).</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("A USCC check character is computed from exactly 17 characters.", nameof(first17));
        }

        var sum = 0;
        for (var index = 0; index < 17; index++)
        {
            var value = Charset.IndexOf(first17[index], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[index]}' is not a USCC character.", nameof(first17));
            }

            sum += value * Weights[index];
        }

        var check = 31 - (sum % 31);
        return Charset[check == 31 ? 0 : check];
    }

    /// <summary>GB 11714: the 9th character of an organisation code for its 8-character body (digits and capitals).</summary>
    public static char ComputeOrganizationCheckCharacter(ReadOnlySpan<char> body)
    {
        if (body.Length != 8)
        {
            throw new ArgumentException("An organisation code check character is computed from exactly 8 characters.", nameof(body));
        }

        var sum = 0;
        for (var index = 0; index < 8; index++)
        {
            // GB 11714 values: 0-9 as themselves, A-Z as 10-35 (a different table from the USCC one).
            var character = body[index];
            var value = character switch
            {
                >= '0' and <= '9' => character - '0',
                >= 'A' and <= 'Z' => character - 'A' + 10,
                _ => throw new ArgumentException($"'{character}' is not an organisation code character.", nameof(body)),
            };
            sum += value * OrganizationWeights[index];
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            10 => 'X',
            11 => '0',
            _ => (char)('0' + check),
        };
    }

    public FormatResult Validate(string value, string label)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != 18)
        {
            return Invalid("uscc.length", $"{label}应为18位，当前为{value.Length}位");
        }

        if (value.Any(char.IsAsciiLetterLower))
        {
            return Invalid("uscc.lowercase", $"{label}中的字母应为大写");
        }

        var wrong = value.AsSpan().IndexOfAnyExcept(Charset);
        if (wrong >= 0)
        {
            return Invalid("uscc.charset",
                $"{label}第{Position(wrong)}位“{value[wrong]}”不是有效字符（只用数字和大写字母，不用 I、O、Z、S、V）");
        }

        if (!Categories.TryGetValue(value[0], out var categories))
        {
            return Invalid("uscc.registrationAuthority", $"{label}第1位登记管理部门代码“{value[0]}”无效");
        }

        if (!categories.Contains(value[1], StringComparison.Ordinal))
        {
            return Invalid("uscc.category", $"{label}第2位机构类别代码“{value[1]}”不适用于登记管理部门代码“{value[0]}”");
        }

        var division = value.Substring(2, 6);
        if (!division.All(char.IsAsciiDigit) || !(Provinces.Contains(division[..2]) || division == "100000"))
        {
            return Invalid("uscc.division", $"{label}第3至8位登记管理机关行政区划码“{division}”无效");
        }

        var organizationCheck = ComputeOrganizationCheckCharacter(value.AsSpan(8, 8));
        if (value[16] != organizationCheck)
        {
            return Invalid("uscc.organizationCode", $"{label}第9至17位组织机构代码的校验码错误，应为 {organizationCheck}");
        }

        var check = ComputeCheckCharacter(value.AsSpan(0, 17));
        return value[17] == check
            ? FormatResult.Valid(value)
            : Invalid("uscc.checkDigit", $"{label}校验位错误，应为 {check}");
    }

    private static string Position(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);

    private static FormatResult Invalid(string code, string message) => FormatResult.Invalid(code, message);
}
