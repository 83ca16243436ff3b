using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tests.Runtime;

/// <summary>Journals already written must keep verifying: the hash of an entry is pinned to the original definition.</summary>
public sealed class JournalHasherTests
{
    /// <summary>The hash as first defined: SHA-256 of the UTF-8 of the fields joined by U+001F, lower-case hex.</summary>
    private static string Original(JournalRecord e) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
        e.InstanceId.ToString("N"), e.Sequence.ToString(CultureInfo.InvariantCulture), JournalHasher.Truncate(e.Timestamp).Ticks.ToString(CultureInfo.InvariantCulture),
        e.EventName, e.ActivityId, e.ActivityType, e.ActivityExecutionId?.ToString("N"), e.Outcome, e.InputsJson, e.OutputsJson, e.Actor, e.Message, e.PreviousHash))));

    private static IEnumerable<JournalRecord> Entries()
    {
        var at = new DateTime(2026, 3, 2, 1, 2, 3, DateTimeKind.Utc).AddTicks(1234567);
        yield return new JournalRecord { InstanceId = Guid.Parse("6f1c1d7e-58a4-4c36-9a0e-0f3f8e3c2a11"), Sequence = 1, Timestamp = at, EventName = "WorkflowStarted", PreviousHash = "", Hash = "" };
        yield return new JournalRecord
        {
            InstanceId = Guid.Parse("6f1c1d7e-58a4-4c36-9a0e-0f3f8e3c2a11"), Sequence = 42, Timestamp = at, EventName = "ActivityCompleted", ActivityId = "provider-approval",
            ActivityType = "UserTask", ActivityExecutionId = Guid.Parse("0b7f2f7c-2d7e-4a57-8f0c-3b1c9b0f5e21"), Outcome = "Approve",
            InputsJson = "{\"title\":\"库表订阅申请：人口基本信息\"}", OutputsJson = "{\"decision\":\"Approve\",\"comment\":\"同意共享 😀\"}",
            Actor = "gaj.approver", Message = "提供方审批", PreviousHash = new string('a', 64), Hash = "",
        };
        // A lone surrogate is replaced by U+FFFD the same way by every UTF-8 encoding path.
        yield return new JournalRecord { InstanceId = Guid.Empty, Sequence = 7, Timestamp = at, EventName = "Note", Message = "broken \ud800 text" + new string('长', 5000), PreviousHash = "b", Hash = "" };
    }

    [Test]
    public void Hash_is_the_original_definition()
    {
        foreach (var entry in Entries()) Assert.That(JournalHasher.Compute(entry), Is.EqualTo(Original(entry)), entry.EventName);
    }

    /// <summary>Computed outside .NET (Python's hashlib over the same joined fields), so the test does not only compare the code with itself.</summary>
    [Test]
    public void Known_entry_has_its_known_hash() =>
        Assert.That(JournalHasher.Compute(Entries().First()), Is.EqualTo("abfa48b2871892c59d21f075fe8246313f933e9f611bcda6b059be69f4bc50de"));
}
