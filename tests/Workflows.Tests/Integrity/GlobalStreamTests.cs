using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// A global stream: the holiday notices uploaded at run time (every case's deadlines are counted from them) are attested
/// in the stream <c>calendar</c>, which is checkpointed, anchored and verified like a journal. The tests of one fixture
/// share the stream, so each uploads its own year and looks at its own record.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class GlobalStreamTests(DatabaseProvider provider) : IntegrityTestBase(provider)
{
    private HolidayNoticeService Notices => Services.GetRequiredService<HolidayNoticeService>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddDeadlineRecomputation(runInBackground: false);
    }

    private async Task UploadAsync(int year, string actor = "admin1")
    {
        var uploaded = await Notices.UploadAsync(await File.ReadAllTextAsync(Path.Combine(ShippedData.NoticesFolder, $"{year}.json")), actor);
        Assert.That(uploaded.Succeeded, Is.True, string.Join("; ", uploaded.Errors.Select(e => e.Message)));
    }

    private async Task<StreamVerification> VerifyStreamAsync() => (await Integrity.VerifyStreamAsync("calendar"))!;

    [Test]
    public async Task An_uploaded_notice_and_its_re_upload_are_attested_in_the_calendar_stream_and_verify()
    {
        await UploadAsync(2023);
        await UploadAsync(2023, actor: "admin2");

        var verification = await VerifyStreamAsync();
        var entries = await RowsAsync(db => db.StreamEntries.Where(e => e.Stream == "calendar" && e.Records.StartsWith("holiday-notice 2023 ")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(2), "the upload and the change the platform itself made");
            Assert.That(entries.Select(e => e.Algorithm), Has.All.EqualTo(HashAlgorithms.Sm3));
            Assert.That(verification.Chain, Is.Empty);
            Assert.That(verification.Integrity.Records.Violations.Where(v => v.RecordId == "2023"), Is.Empty);
            Assert.That(verification.Integrity.Records.Kinds.Single().Name, Is.EqualTo("节假日安排"));
            Assert.That(await Integrity.VerifyStreamAsync("no-such-stream"), Is.Null);
        }
    }

    [TestCase(2024, RecordChanges.Altered)]
    [TestCase(2025, RecordChanges.Deleted)]
    [TestCase(2026, RecordChanges.Inserted)]
    public async Task A_notice_changed_deleted_or_inserted_in_the_database_is_named(int year, string change)
    {
        // Notices have no order of their own (one per year), so there is nothing to reorder.
        if (change != RecordChanges.Inserted) await UploadAsync(year);
        switch (change)
        {
            case RecordChanges.Altered:
                await ExecuteSqlAsync("UPDATE \"cal_notices\" SET \"Json\" = {0} WHERE \"Year\" = {1}", "{\"year\":" + year + ",\"periods\":[]}", year);
                break;
            case RecordChanges.Deleted:
                await ExecuteSqlAsync("DELETE FROM \"cal_notices\" WHERE \"Year\" = {0}", year);
                break;
            default:
                Clock.Advance(TimeSpan.FromMinutes(1));
                await ExecuteSqlAsync("INSERT INTO \"cal_notices\" (\"Year\", \"NoticeNumber\", \"Json\", \"LoadedAt\", \"LoadedBy\") VALUES ({0}, '伪造', '{{}}', {1}, 'intruder')",
                    year, Clock.GetUtcNow().UtcDateTime);
                break;
        }

        var verification = await VerifyStreamAsync();

        Assert.That(verification.Integrity.Records.Violations.Where(v => v.RecordId == year.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(v => (v.Kind, v.Change)), Is.EqualTo(new[] { ("holiday-notice", change) }));
        Assert.That(verification.Passed, Is.False);
    }

    [Test]
    public async Task The_sweep_signs_the_stream_and_anchors_it_and_a_stream_entry_changed_later_is_caught()
    {
        await UploadAsync(2023);
        Clock.Advance(IntegritySettings.CheckpointInterval * 2);
        var swept = await Sweep.RunAsync();
        await AnchorAsync();
        var signed = await VerifyStreamAsync();

        await using (var db = await IntruderAsync())
        {
            var last = await db.StreamEntries.Where(e => e.Stream == "calendar").OrderByDescending(e => e.Sequence).FirstAsync();
            last.Records += "\nholiday-notice 1999 " + new string('e', 64);
            await db.SaveChangesAsync();
        }

        var changed = await VerifyStreamAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(swept.Streams, Is.EqualTo(1));
            Assert.That(signed.Integrity.Signatures.Checkpoints, Is.GreaterThanOrEqualTo(1));
            Assert.That(signed.Integrity.Signatures.Violations, Is.Empty);
            Assert.That(signed.Integrity.Anchor.Anchored, Is.EqualTo(signed.Integrity.Signatures.Checkpoints));
            Assert.That(changed.Chain.Select(f => f.Kind), Is.EqualTo(new[] { "Altered" }));
            Assert.That(changed.Integrity.Records.Violations.Select(v => (v.RecordId, v.Change)), Does.Contain(("1999", RecordChanges.Deleted)));
        }
    }
}
