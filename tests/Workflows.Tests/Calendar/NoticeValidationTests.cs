using System.Text;
using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

/// <summary>Every rule a notice file is checked against; the messages are shown to the admin who uploads it.</summary>
public sealed class NoticeValidationTests
{
    private const string SpringFestival2026 =
        """{ "name": "春节", "firstDayOff": "2026-02-15", "lastDayOff": "2026-02-23", "makeupWorkdays": ["2026-02-14", "2026-02-28"] }""";

    [Test]
    public void A_well_formed_notice_reads_into_the_model()
    {
        var result = HolidayNoticeReader.Parse(Notice(SpringFestival2026));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsValid, Is.True);
            Assert.That(result.Notice!.Year, Is.EqualTo(2026));
            Assert.That(result.Notice.NoticeNumber, Is.EqualTo("国办发明电〔2025〕7号"));
            Assert.That(result.Notice.PublishedOn, Is.EqualTo(new DateOnly(2025, 11, 4)));
            Assert.That(result.Notice.Periods.Single().Name, Is.EqualTo("春节"));
            Assert.That(result.Notice.Periods.Single().FirstDayOff, Is.EqualTo(new DateOnly(2026, 2, 15)));
            Assert.That(result.Notice.Periods.Single().LastDayOff, Is.EqualTo(new DateOnly(2026, 2, 23)));
            Assert.That(result.Notice.Periods.Single().MakeupWorkdays,
                Is.EqualTo(new[] { new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 28) }));
        }
    }

    [Test]
    public async Task A_notice_reads_from_a_stream()
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Notice(SpringFestival2026)));

        var result = await HolidayNoticeReader.ParseAsync(stream, "upload.json");

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void A_period_may_start_in_the_previous_year()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "元旦", "firstDayOff": "2022-12-31", "lastDayOff": "2023-01-02" }""", year: 2023));

        Assert.That(result.Errors, Is.Empty);
    }

    [Test]
    public void A_makeup_day_that_is_not_a_weekend_day_is_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "春节", "firstDayOff": "2026-02-15", "lastDayOff": "2026-02-23", "makeupWorkdays": ["2026-02-27"] }"""),
            "2026.json");

        AssertSingleError(result, "periods[0].makeupWorkdays[0]", "春节：调休上班日 2026-02-27（周五）不是周六或周日。");
        Assert.That(result.Errors.Single().Source, Is.EqualTo("2026.json"));
        Assert.That(result.Errors.Single().ToString(),
            Is.EqualTo("2026.json periods[0].makeupWorkdays[0]: 春节：调休上班日 2026-02-27（周五）不是周六或周日。"));
    }

    [Test]
    public void A_last_day_before_the_first_day_is_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "春节", "firstDayOff": "2026-02-23", "lastDayOff": "2026-02-15" }"""));

        AssertSingleError(result, "periods[0].lastDayOff", "春节：放假末日 2026-02-15 早于首日 2026-02-23。");
    }

    [Test]
    public void A_period_outside_the_notice_year_and_its_neighbours_is_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "春节", "firstDayOff": "2028-02-15", "lastDayOff": "2028-02-16", "makeupWorkdays": ["2024-02-17"] }"""));

        Assert.That(result.Errors.Select(error => (error.Field, error.Message)), Is.EqualTo(new[]
        {
            ("periods[0].firstDayOff", "春节：放假首日 2028-02-15 不在通知年份 2026 及其前后一年内。"),
            ("periods[0].lastDayOff", "春节：放假末日 2028-02-16 不在通知年份 2026 及其前后一年内。"),
            ("periods[0].makeupWorkdays[0]", "春节：调休上班日 2024-02-17 不在通知年份 2026 及其前后一年内。"),
        }));
    }

    [Test]
    public void A_makeup_day_that_is_also_a_day_off_is_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "春节", "firstDayOff": "2026-02-14", "lastDayOff": "2026-02-23", "makeupWorkdays": ["2026-02-14"] }"""));

        AssertSingleError(result, "periods[0].makeupWorkdays[0]", "调休上班日 2026-02-14 同时是春节的放假日。");
    }

    [Test]
    public void Overlapping_periods_are_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "中秋节", "firstDayOff": "2026-09-25", "lastDayOff": "2026-10-01" }""",
            """{ "name": "国庆节", "firstDayOff": "2026-10-01", "lastDayOff": "2026-10-07" }"""));

        AssertSingleError(result, "periods[1]", "国庆节与中秋节的放假日期重叠（2026-10-01）。");
    }

    [Test]
    public void A_makeup_day_listed_twice_is_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "元旦", "firstDayOff": "2026-01-01", "lastDayOff": "2026-01-03", "makeupWorkdays": ["2026-01-04"] }""",
            """{ "name": "春节", "firstDayOff": "2026-02-15", "lastDayOff": "2026-02-23", "makeupWorkdays": ["2026-01-04"] }"""));

        AssertSingleError(result, "periods[1].makeupWorkdays[0]", "春节：调休上班日 2026-01-04 重复出现。");
    }

    [Test]
    public void A_year_outside_the_supported_range_is_refused()
    {
        var result = HolidayNoticeReader.Parse(Notice(
            """{ "name": "元旦", "firstDayOff": "2100-01-01", "lastDayOff": "2100-01-01" }""", year: 2100));

        AssertSingleError(result, "year", "年份 2100 超出支持范围（2000–2099）。");
    }

    [Test]
    public void Missing_fields_are_each_named()
    {
        var result = HolidayNoticeReader.Parse("""{ "periods": [ { "firstDayOff": "2026-01-01" } ] }""");

        Assert.That(result.Errors.Select(error => (error.Field, error.Message)), Is.EquivalentTo(new[]
        {
            ("year", "缺少年份（year）。"),
            ("noticeNumber", "缺少通知文号（noticeNumber）。"),
            ("publishedOn", "缺少发布日期（publishedOn）。"),
            ("source", "缺少通知标题（source）。"),
            ("periods[0].name", "缺少假期名称（name）。"),
            ("periods[0].lastDayOff", "缺少放假末日（lastDayOff）。"),
        }));
    }

    [Test]
    public void Blank_texts_and_an_empty_period_list_are_refused()
    {
        var result = HolidayNoticeReader.Parse("""
            { "year": 2026, "noticeNumber": " ", "publishedOn": "2025-11-04", "source": "", "periods": [] }
            """);

        Assert.That(result.Errors.Select(error => error.Message), Is.EqualTo(new[]
        {
            "缺少通知文号（如 国办发明电〔2025〕7号）。",
            "缺少通知标题。",
            "通知中没有任何假期安排。",
        }));
    }

    [Test]
    public void Malformed_dates_wrong_types_and_unknown_fields_are_refused()
    {
        var result = HolidayNoticeReader.Parse("""
            {
              "year": "2026", "noticeNumber": "国办发明电〔2025〕7号", "publishedOn": "2025/11/04", "source": "通知",
              "periods": [ { "name": "春节", "firstDay": "2026-02-15", "firstDayOff": "2026-02-15", "lastDayOff": "2026-02-23",
                             "makeupWorkdays": "2026-02-14" } ]
            }
            """);

        Assert.That(result.Errors.Select(error => (error.Field, error.Message)), Is.EquivalentTo(new[]
        {
            ("year", "年份（year）应为整数。"),
            ("publishedOn", "发布日期（publishedOn）应为 yyyy-MM-dd 格式的日期，实际为 \"2025/11/04\"。"),
            ("periods[0].firstDay", "未知字段“firstDay”，可用字段：name、firstDayOff、lastDayOff、makeupWorkdays。"),
            ("periods[0].makeupWorkdays", "调休上班日（makeupWorkdays）应为数组。"),
        }));
    }

    [Test]
    public void Text_that_is_not_JSON_is_refused_with_its_position()
    {
        var result = HolidayNoticeReader.Parse("{\n  \"year\": 2026,\n  oops\n}");

        AssertSingleError(result, "", "不是有效的 JSON（第 3 行第 3 个字节附近）。");
    }

    [Test]
    public void A_JSON_array_is_not_a_notice() =>
        AssertSingleError(HolidayNoticeReader.Parse("[]"), "", "通知应为一个 JSON 对象。");

    [Test]
    public void A_folder_with_two_notices_for_one_year_loads_neither()
    {
        using var folder = new TemporaryFolder();
        folder.Write("2026.json", Notice(SpringFestival2026));
        folder.Write("2026-revised.json", Notice(SpringFestival2026));
        folder.Write("2025.json", Notice(
            """{ "name": "元旦", "firstDayOff": "2025-01-01", "lastDayOff": "2025-01-01" }""", year: 2025));

        var result = HolidayNoticeFolder.Load(folder.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Notices.Select(notice => notice.Year), Is.EqualTo(new[] { 2025 }));
            Assert.That(result.Errors.Select(error => error.Message),
                Is.EqualTo(new[] { "2026 年有多份通知：2026-revised.json、2026.json，每年只能有一份。" }));
        }
    }

    [Test]
    public void A_file_named_after_another_year_is_refused()
    {
        using var folder = new TemporaryFolder();
        folder.Write("2027.json", Notice(SpringFestival2026));

        var result = HolidayNoticeFolder.Load(folder.Path);

        AssertSingleError(result.Errors, "year", "文件名表示 2027 年，但通知年份为 2026。");
        Assert.That(result.Notices, Is.Empty);
    }

    [Test]
    public void Invalid_files_in_a_folder_are_reported_by_file_name()
    {
        using var folder = new TemporaryFolder();
        folder.Write("2026.json", "not json");

        var result = HolidayNoticeFolder.Load(folder.Path);

        Assert.That(result.Errors.Select(error => error.Source), Is.EqualTo(new[] { "2026.json" }));
    }

    [Test]
    public void A_missing_folder_is_reported() =>
        Assert.That(
            HolidayNoticeFolder.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).Errors.Single().Message,
            Is.EqualTo("找不到节假日通知目录。"));

    private static void AssertSingleError(NoticeParseResult result, string field, string message)
    {
        Assert.That(result.Notice, Is.Null);
        AssertSingleError(result.Errors, field, message);
    }

    private static void AssertSingleError(IReadOnlyList<NoticeValidationError> errors, string field, string message) =>
        Assert.That(errors.Select(error => (error.Field, error.Message)), Is.EqualTo(new[] { (field, message) }));

    private static string Notice(string period, int year = 2026) => Notice([period], year);

    private static string Notice(string firstPeriod, string secondPeriod) => Notice([firstPeriod, secondPeriod], 2026);

    private static string Notice(string[] periods, int year) => $$"""
        {
          "year": {{year}},
          "noticeNumber": "国办发明电〔2025〕7号",
          "publishedOn": "2025-11-04",
          "source": "国务院办公厅关于{{year}}年部分节假日安排的通知",
          "periods": [ {{string.Join(",\n", periods)}} ]
        }
        """;

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pds-notices-").FullName;

        public void Write(string file, string content) => File.WriteAllText(System.IO.Path.Combine(Path, file), content);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
