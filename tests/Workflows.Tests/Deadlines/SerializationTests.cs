using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Deadlines;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>The engine stores clocks as JSON with the instance or task.</summary>
public sealed class SerializationTests : LegalClockFixture
{
    [SetUp]
    public void SetTheStartTime() => Time.Set(Beijing(2026, 3, 5));

    [TestCase(CorrectionRule.Pause)]
    [TestCase(CorrectionRule.Restart)]
    public void A_clock_round_trips_through_JSON_and_carries_on_as_before(CorrectionRule rule)
    {
        var clock = ClockWithHistory(rule);

        var json = JsonSerializer.Serialize(clock, JsonSerializerOptions.Web);
        var restored = JsonSerializer.Deserialize<LegalClock>(json, JsonSerializerOptions.Web)!;

        Time.Set(Beijing(2026, 3, 18, 9));
        var now = Now;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JsonSerializer.Serialize(restored, JsonSerializerOptions.Web), Is.EqualTo(json));
            Assert.That(restored, Is.EqualTo(clock).UsingPropertiesComparer());
            Assert.That(restored.PendingExtension, Is.EqualTo(clock.PendingExtension));
            Assert.That(restored.Status(Calendar, now), Is.EqualTo(clock.Status(Calendar, now)).UsingPropertiesComparer());
            Assert.That(restored.ApproveExtension(Calendar, now, "周建国").Value.Clock.Deadline,
                Is.EqualTo(clock.ApproveExtension(Calendar, now, "周建国").Value.Clock.Deadline));
            Assert.That(restored.Recompute(Calendar, now).Events, Is.Empty);
        }
    }

    [Test]
    public void The_stored_JSON_is_plain_data_that_reads_plainly()
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(ClockWithHistory(CorrectionRule.Pause), JsonSerializerOptions.Web))!.AsObject();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(node.Select(property => property.Key), Is.EqualTo(new[]
            {
                "limitWorkingDays", "rule", "yellowWhenRemaining", "phase", "receivedAt", "countingFrom", "countingUntil",
                "chargedWorkingDays", "discardedWorkingDays", "extensionWorkingDays", "deadline", "deadlineExplanation",
                "provisionalYears", "history",
            }));
            Assert.That(node["rule"]!.GetValue<string>(), Is.EqualTo("Pause"));
            Assert.That(node["phase"]!.GetValue<string>(), Is.EqualTo("Running"));
            Assert.That(node["deadline"]!.GetValue<string>(), Is.EqualTo("2026-03-18T23:59:59+08:00"));
            Assert.That(node["history"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("Started"));
        }
    }

    /// <summary>Received Thu 03-05, returned Tue 03-10, resubmitted Mon 03-16, an extension pending since Tue 03-17.</summary>
    private LegalClock ClockWithHistory(CorrectionRule rule)
    {
        var clock = LegalClock.Start(Calendar, Now, 5, rule).Clock;
        Time.Set(Beijing(2026, 3, 10, 15));
        clock = clock.ReturnForCorrection(Calendar, Now, "请补充法律依据", "王海燕").Value.Clock;
        Time.Set(Beijing(2026, 3, 16, 9));
        clock = clock.Resubmit(Calendar, Now).Value.Clock;
        Time.Set(Beijing(2026, 3, 17, 9));
        return clock.RequestExtension(Calendar, Now, 2, "需要核实", "李文静").Value.Clock;
    }
}
