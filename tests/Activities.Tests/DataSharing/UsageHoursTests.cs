using PdsWorkflow.Activities.DataSharing.Forms;

namespace PdsWorkflow.Activities.Tests.DataSharing;

public sealed class UsageHoursTests
{
    private const string Label = "服务接口使用时间范围";

    [TestCase("工作日 08:00-20:00", UsageDayKind.WorkingDays, 8, 0, 20, 0, "工作日 08:00-20:00")]
    [TestCase("工作日，每天 8:00 到 20:00", UsageDayKind.WorkingDays, 8, 0, 20, 0, "工作日 08:00-20:00")]
    [TestCase("每天8:30~17:30", UsageDayKind.EveryDay, 8, 30, 17, 30, "每日 08:30-17:30")]
    [TestCase("每日 00:00-24:00", UsageDayKind.EveryDay, 0, 0, 24, 0, "每日 00:00-24:00")]
    [TestCase("工作日 09：00至18：00", UsageDayKind.WorkingDays, 9, 0, 18, 0, "工作日 09:00-18:00")]
    [TestCase("工作日 07:45－21:15", UsageDayKind.WorkingDays, 7, 45, 21, 15, "工作日 07:45-21:15")]
    public void Usage_hours_parse_into_day_kind_and_time_range(
        string text, UsageDayKind days, int startHour, int startMinute, int endHour, int endMinute, string canonical)
    {
        var hours = UsageHours.Parse(text, out var problem);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem, Is.Null);
            Assert.That(hours, Is.EqualTo(new UsageHours(days, new TimeSpan(startHour, startMinute, 0), new TimeSpan(endHour, endMinute, 0))));
            Assert.That(hours.ToString(), Is.EqualTo(canonical));
            Assert.That(new UsageHoursValidator().Validate(text, Label).Normalized, Is.EqualTo(canonical));
        }
    }

    [TestCase("08:00-20:00", "usageHours.format", "服务接口使用时间范围应写作“工作日 08:00-20:00”或“每日 00:00-24:00”", TestName = "No day kind")]
    [TestCase("周末 08:00-20:00", "usageHours.format", "应写作", TestName = "Unknown day kind")]
    [TestCase("工作日 8点到20点", "usageHours.format", "应写作", TestName = "Times in words")]
    [TestCase("工作日 08:00", "usageHours.format", "应写作", TestName = "Only one time")]
    [TestCase("工作日 08:60-20:00", "usageHours.time", "服务接口使用时间范围中的时间无效", TestName = "Minute 60")]
    [TestCase("工作日 25:00-26:00", "usageHours.time", "时间无效", TestName = "Hour 25")]
    [TestCase("每日 24:00-24:00", "usageHours.time", "时间无效", TestName = "24:00 as a start")]
    [TestCase("每日 00:00-24:30", "usageHours.time", "时间无效", TestName = "Past 24:00")]
    [TestCase("工作日 20:00-08:00", "usageHours.order", "服务接口使用时间范围的开始时间应早于结束时间", TestName = "Overnight")]
    [TestCase("工作日 08:00-08:00", "usageHours.order", "开始时间应早于结束时间", TestName = "Empty range")]
    public void Invalid_usage_hours_fail(string text, string code, string message)
    {
        var result = new UsageHoursValidator().Validate(text, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(UsageHours.TryParse(text, out _), Is.False);
            Assert.That(result.Code, Is.EqualTo(code));
            Assert.That(result.Message, Does.Contain(message));
        }
    }
}
