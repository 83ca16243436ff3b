using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Catalog;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogVersionTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    [Test]
    public async Task A_change_to_a_published_entry_is_a_new_draft_while_the_published_version_stays_in_the_catalog()
    {
        var v1 = await PublishedAsync(name: "低保对象名单");
        var changed = EntryData(v1.ResourceCode, "低保对象名单");
        changed["updateCycle"] = "weekly";

        var v2 = Ok(await Catalog.ReviseAsync(v1.EntryId, new CatalogRevision("更新周期调整为每周", changed), "mz.cataloger"));

        Assert.That((v2.Number, v2.Status, v2.UpdateCycle, v2.RevisionReason), Is.EqualTo((2, CatalogStatus.Draft, "weekly", "更新周期调整为每周")));
        var entry = await EntryAsync(v1.EntryId);
        Assert.That((entry.Published?.Number, entry.Published?.UpdateCycle), Is.EqualTo(((int?)1, "monthly")));
        Assert.That(entry.InProgress?.Number, Is.EqualTo(2));
        var found = Ok(await Catalog.SearchAsync(new CatalogQuery { Name = "低保对象名单" }));
        Assert.That(found.Items.Select(i => (i.Number, i.Status)), Is.EqualTo(new[] { (1, CatalogStatus.Published) }));
    }

    [Test]
    public async Task Publishing_the_new_version_supersedes_the_old_one()
    {
        var v1 = await PublishedAsync();
        Ok(await Catalog.ReviseAsync(v1.EntryId, new CatalogRevision("新增信息项"), "mz.cataloger"));
        Ok(await Catalog.SubmitAsync(v1.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(v1.EntryId, "mz.admin"));
        Clock.Advance(TimeSpan.FromDays(1));

        var v2 = Ok(await Catalog.PublishAsync(v1.EntryId, "mz.admin"));

        Assert.That((v2.Number, v2.Status), Is.EqualTo((2, CatalogStatus.Published)));
        var entry = await EntryAsync(v1.EntryId);
        Assert.That(entry.Versions.Select(v => (v.Number, v.Status)), Is.EqualTo(new[] { (1, CatalogStatus.Superseded), (2, CatalogStatus.Published) }));
        Assert.That(entry.Published?.Number, Is.EqualTo(2));
        Assert.That(entry.InProgress, Is.Null);
        var history = await Catalog.GetHistoryAsync(v1.EntryId);
        Assert.That(history.TakeLast(2).Select(h => (h.Action, h.VersionNumber, h.Reason)), Is.EqualTo(new (CatalogAction, int?, string?)[]
        {
            (CatalogAction.Superseded, 1, "第2版已发布"),
            (CatalogAction.Published, 2, null),
        }));
        var all = Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true, Classification = v1.ClassificationCode }));
        Assert.That(all.Items.Where(i => i.EntryId == v1.EntryId).Select(i => (i.Number, i.StatusName)),
            Is.EqualTo(new[] { (2, "已发布"), (1, "已被新版本取代") }));
    }

    [Test]
    public async Task A_new_version_starts_from_the_published_data_and_is_a_draft_to_edit()
    {
        var v1 = await PublishedAsync();
        var v2 = Ok(await Catalog.ReviseAsync(v1.EntryId, new CatalogRevision("补充信息项"), "mz.cataloger"));
        Assert.That(v2.Data.ToJsonString(), Is.EqualTo(v1.Data.ToJsonString()));

        var withItem = EntryData(v1.ResourceCode);
        withItem["items"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "救助金额", ["type"] = "N", ["length"] = 10, ["decimals"] = 2 });
        var edited = Ok(await Catalog.UpdateDraftAsync(v1.EntryId, withItem, "mz.cataloger"));

        Assert.That(edited.Items.Select(i => i.Name), Does.Contain("救助金额"));
        Assert.That((await EntryAsync(v1.EntryId)).Published?.Items.Select(i => i.Name), Does.Not.Contain("救助金额"));
    }

    [Test]
    public async Task A_change_is_refused_while_another_version_is_in_progress_or_before_the_first_publication()
    {
        var draft = await CreateDraftAsync();
        var early = Refused(await Catalog.ReviseAsync(draft.EntryId, new CatalogRevision("变更"), "mz.cataloger"));
        Assert.That(early.Code, Is.EqualTo("catalog_version_open"));
        Assert.That(early.Detail, Is.EqualTo("目录“低保救济管理信息”已有在办的第1版（草稿），请在该版本上继续办理，不能再发起变更。"));

        var published = await PublishedAsync();
        Assert.That(Refused(await Catalog.ReviseAsync(published.EntryId, new CatalogRevision(" "), "mz.cataloger")).Code, Is.EqualTo("reason_required"));
        Ok(await Catalog.ReviseAsync(published.EntryId, new CatalogRevision("第一次变更"), "mz.cataloger"));
        Assert.That(Refused(await Catalog.ReviseAsync(published.EntryId, new CatalogRevision("第二次变更"), "mz.cataloger")).Code,
            Is.EqualTo("catalog_version_open"));
    }

    [Test]
    public async Task A_withdrawn_entry_may_be_revised_and_published_again()
    {
        var v1 = await PublishedAsync();
        Ok(await Catalog.WithdrawAsync(v1.EntryId, "mz.admin", "暂停提供"));

        Ok(await Catalog.ReviseAsync(v1.EntryId, new CatalogRevision("恢复提供"), "mz.cataloger"));
        Ok(await Catalog.SubmitAsync(v1.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(v1.EntryId, "mz.admin"));
        Ok(await Catalog.PublishAsync(v1.EntryId, "mz.admin"));

        var entry = await EntryAsync(v1.EntryId);
        Assert.That(entry.Versions.Select(v => (v.Number, v.Status)), Is.EqualTo(new[] { (1, CatalogStatus.Withdrawn), (2, CatalogStatus.Published) }));
    }

    [Test]
    public async Task The_resource_code_may_change_until_the_entry_is_first_published_and_never_after()
    {
        var draft = await CreateDraftAsync();
        var recoded = NextCode();
        Assert.That(Ok(await Catalog.UpdateDraftAsync(draft.EntryId, EntryData(recoded), "mz.cataloger")).ResourceCode, Is.EqualTo(recoded));
        Assert.That((await EntryAsync(draft.EntryId)).ResourceCode, Is.EqualTo(recoded));
        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(draft.EntryId, "mz.admin"));
        Ok(await Catalog.PublishAsync(draft.EntryId, "mz.admin"));

        var error = Refused(await Catalog.ReviseAsync(draft.EntryId, new CatalogRevision("换代码", EntryData(NextCode())), "mz.cataloger"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[]
        {
            ("resourceCode", "resourceCode.immutable", $"信息资源代码是资源的唯一不变标识，已发布的目录不能修改（应为 {recoded}）"),
        }));
    }

    [Test]
    public async Task A_change_forced_by_a_new_law_is_due_ten_working_days_later_and_listed_when_overdue()
    {
        var changedOn = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));
        Clock.Set(changedOn);
        var v1 = await PublishedAsync();

        var v2 = Ok(await Catalog.ReviseAsync(v1.EntryId, new CatalogRevision("《社会救助暂行办法》修订", null, changedOn), "mz.cataloger"));

        // 004 第十一条: the day of the change is not counted; 3–6, 9–13 and 16 March are the ten working days.
        Assert.That(v2.UpdateDueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 16, 23, 59, 59, TimeSpan.FromHours(8))));
        Assert.That(await Catalog.OverdueUpdatesAsync(), Has.None.Matches<CatalogVersionSummary>(s => s.EntryId == v1.EntryId));
        Clock.Set(new DateTimeOffset(2026, 3, 17, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.That((await Catalog.OverdueUpdatesAsync()).Where(s => s.EntryId == v1.EntryId).Select(s => s.Number), Is.EqualTo(new[] { 2 }));

        Ok(await Catalog.SubmitAsync(v1.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(v1.EntryId, "mz.admin"));
        Ok(await Catalog.PublishAsync(v1.EntryId, "mz.admin"));
        Assert.That(await Catalog.OverdueUpdatesAsync(), Has.None.Matches<CatalogVersionSummary>(s => s.EntryId == v1.EntryId));
    }
}
