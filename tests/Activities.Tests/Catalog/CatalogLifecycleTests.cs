using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Catalog;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogLifecycleTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    public enum Move
    {
        Submit,
        ReturnFromReview,
        Register,
        ReturnRegistration,
        Reopen,
        Publish,
        Withdraw,
    }

    /// <summary>The moves the lifecycle allows, and where each leads (domain.md P3).</summary>
    private static readonly Dictionary<(CatalogStatus From, Move Move), CatalogStatus> Allowed = new()
    {
        [(CatalogStatus.Draft, Move.Submit)] = CatalogStatus.InReview,
        [(CatalogStatus.InReview, Move.ReturnFromReview)] = CatalogStatus.Draft,
        [(CatalogStatus.InReview, Move.Register)] = CatalogStatus.Registered,
        [(CatalogStatus.Registered, Move.ReturnRegistration)] = CatalogStatus.Returned,
        [(CatalogStatus.Registered, Move.Publish)] = CatalogStatus.Published,
        [(CatalogStatus.Returned, Move.Reopen)] = CatalogStatus.Draft,
        [(CatalogStatus.Published, Move.Withdraw)] = CatalogStatus.Withdrawn,
    };

    private static readonly CatalogStatus[] Statuses =
        [CatalogStatus.Draft, CatalogStatus.InReview, CatalogStatus.Registered, CatalogStatus.Returned, CatalogStatus.Published, CatalogStatus.Withdrawn];

    public static IEnumerable<TestCaseData> AllowedMoves() =>
        Allowed.Select(pair => new TestCaseData(pair.Key.From, pair.Key.Move, pair.Value).SetArgDisplayNames($"{pair.Key.From}", $"{pair.Key.Move}"));

    public static IEnumerable<TestCaseData> IllegalMoves() =>
        from status in Statuses
        from move in Enum.GetValues<Move>()
        where !Allowed.ContainsKey((status, move))
        select new TestCaseData(status, move).SetArgDisplayNames($"{status}", $"{move}");

    [Test]
    public async Task A_draft_is_reviewed_registered_and_published_and_each_step_is_audited()
    {
        var draft = await CreateDraftAsync();
        Assert.That((draft.Number, draft.Status, draft.StatusName), Is.EqualTo((1, CatalogStatus.Draft, "草稿")));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger", "请审核")).Status, Is.EqualTo(CatalogStatus.InReview));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(Ok(await Catalog.RegisterAsync(draft.EntryId, "mz.admin")).Status, Is.EqualTo(CatalogStatus.Registered));
        Clock.Advance(TimeSpan.FromHours(1));
        var published = Ok(await Catalog.PublishAsync(draft.EntryId, "mz.admin", "平台审核通过"));

        Assert.That(published.Status, Is.EqualTo(CatalogStatus.Published));
        Assert.That(published.PublishedAt, Is.EqualTo(Clock.GetUtcNow()));
        Assert.That(published.PublishedBy, Is.EqualTo("mz.admin"));
        var entry = await EntryAsync(draft.EntryId);
        Assert.That(entry.Published?.Number, Is.EqualTo(1));
        Assert.That(entry.InProgress, Is.Null);

        var history = await Catalog.GetHistoryAsync(draft.EntryId);
        Assert.That(history.Select(h => (h.Action, h.Actor, h.FromStatus, h.ToStatus, h.Reason)), Is.EqualTo(new (CatalogAction, string, CatalogStatus?, CatalogStatus?, string?)[]
        {
            (CatalogAction.Created, "mz.cataloger", null, CatalogStatus.Draft, null),
            (CatalogAction.Submitted, "mz.cataloger", CatalogStatus.Draft, CatalogStatus.InReview, "请审核"),
            (CatalogAction.Registered, "mz.admin", CatalogStatus.InReview, CatalogStatus.Registered, null),
            (CatalogAction.Published, "mz.admin", CatalogStatus.Registered, CatalogStatus.Published, "平台审核通过"),
        }));
        Assert.That(history.Select(h => h.ActionName), Is.EqualTo(new[] { "编目", "提交编审", "提交注册", "发布" }));
        Assert.That(history[^1].At - history[0].At, Is.EqualTo(TimeSpan.FromHours(3)));
    }

    [TestCaseSource(nameof(AllowedMoves))]
    public async Task Each_allowed_move_leads_where_the_lifecycle_says(CatalogStatus from, Move move, CatalogStatus to)
    {
        var entryId = await EntryInAsync(from);

        var moved = Ok(await ApplyAsync(entryId, move));

        Assert.That(moved.Status, Is.EqualTo(to));
        var last = (await Catalog.GetHistoryAsync(entryId))[^1];
        Assert.That((last.FromStatus, last.ToStatus, last.Actor), Is.EqualTo(((CatalogStatus?)from, (CatalogStatus?)to, "someone")));
    }

    [TestCaseSource(nameof(IllegalMoves))]
    public async Task Each_illegal_move_is_refused_with_a_reason_and_changes_nothing(CatalogStatus from, Move move)
    {
        var entryId = await EntryInAsync(from);
        var before = await EntryAsync(entryId);
        var historyBefore = (await Catalog.GetHistoryAsync(entryId)).Count;

        var error = Refused(await ApplyAsync(entryId, move));

        Assert.That((error.Kind, error.Code), Is.EqualTo((WorkflowErrorKind.Conflict, CatalogErrors.StatusConflictCode)));
        Assert.That(error.Detail, Does.Contain($"当前为“{CatalogText.Name(from)}”").And.Contain($"不能{CatalogText.Name(ActionOf(move))}"));
        var after = await EntryAsync(entryId);
        Assert.That(after.Versions.Select(v => v.Status), Is.EqualTo(before.Versions.Select(v => v.Status)));
        Assert.That(await Catalog.GetHistoryAsync(entryId), Has.Count.EqualTo(historyBefore));
    }

    [Test]
    public async Task The_refusal_names_the_entry_the_status_and_what_would_be_allowed()
    {
        var draft = await CreateDraftAsync(name: "婚姻登记记录信息");

        var error = Refused(await Catalog.PublishAsync(draft.EntryId, "mz.admin"));

        Assert.That(error.Title, Is.EqualTo("当前状态不能进行该操作"));
        Assert.That(error.Detail, Is.EqualTo("目录“婚姻登记记录信息”第1版当前为“草稿”，不能发布（只有“已注册待审核”的版本可以发布）。"));
    }

    [Test]
    public async Task Review_returns_a_draft_only_with_a_reason()
    {
        var draft = await CreateDraftAsync();
        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));

        var error = Refused(await Catalog.ReturnFromReviewAsync(draft.EntryId, "mz.admin", "  "));
        Assert.That((error.Code, error.Detail), Is.EqualTo(("reason_required", "编审退回时必须填写理由。")));
        Assert.That((await EntryAsync(draft.EntryId)).InProgress?.Status, Is.EqualTo(CatalogStatus.InReview));

        var returned = Ok(await Catalog.ReturnFromReviewAsync(draft.EntryId, "mz.admin", "摘要过于简单"));
        Assert.That(returned.Status, Is.EqualTo(CatalogStatus.Draft));
        Assert.That((await Catalog.GetHistoryAsync(draft.EntryId))[^1].Reason, Is.EqualTo("摘要过于简单"));
    }

    [Test]
    public async Task A_registration_is_returned_with_the_problems_found_and_compiled_again()
    {
        var draft = await CreateDraftAsync();
        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(draft.EntryId, "mz.admin"));

        var none = Refused(await Catalog.ReturnRegistrationAsync(draft.EntryId, "admin1", [" ", ""]));
        Assert.That(none.Code, Is.EqualTo("problems_required"));

        var returned = Ok(await Catalog.ReturnRegistrationAsync(draft.EntryId, "admin1", ["共享条件未写明使用要求", " 信息项缺少数据长度 "]));
        Assert.That(returned.Status, Is.EqualTo(CatalogStatus.Returned));
        Assert.That(returned.ReturnProblems, Is.EqualTo(new[] { "共享条件未写明使用要求", "信息项缺少数据长度" }));
        var audit = (await Catalog.GetHistoryAsync(draft.EntryId))[^1];
        Assert.That((audit.Action, audit.Actor, audit.ActionName), Is.EqualTo((CatalogAction.RegistrationReturned, "admin1", "注册退回")));
        Assert.That(audit.Details?["problems"]?.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "共享条件未写明使用要求", "信息项缺少数据长度" }));

        Assert.That(Refused(await Catalog.UpdateDraftAsync(draft.EntryId, EntryData(draft.ResourceCode), "mz.cataloger")).Detail,
            Is.EqualTo("目录“低保救济管理信息”第1版当前为“注册退回”，只有草稿可以修改。"));
        Assert.That(Ok(await Catalog.ReopenAsync(draft.EntryId, "mz.admin", "按平台意见修改")).Status, Is.EqualTo(CatalogStatus.Draft));
        var corrected = EntryData(draft.ResourceCode);
        corrected["shareCondition"] = "作为社会救助资格认定的依据，用于数据校核。";
        var edited = Ok(await Catalog.UpdateDraftAsync(draft.EntryId, corrected, "mz.cataloger"));
        Assert.That(edited.Data["shareCondition"]?.GetValue<string>(), Is.EqualTo("作为社会救助资格认定的依据，用于数据校核。"));
        Assert.That((await Catalog.GetHistoryAsync(draft.EntryId))[^1].Details?["changed"]?.AsArray().Select(k => k!.GetValue<string>()),
            Is.EqualTo(new[] { "shareCondition" }));

        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(draft.EntryId, "mz.admin"));
        Assert.That(Ok(await Catalog.PublishAsync(draft.EntryId, "mz.admin")).Status, Is.EqualTo(CatalogStatus.Published));
    }

    [Test]
    public async Task Withdrawing_needs_a_reason_and_takes_the_entry_out_of_the_catalog()
    {
        var published = await PublishedAsync(name: "撤销测试目录");

        Assert.That(Refused(await Catalog.WithdrawAsync(published.EntryId, "mz.admin", "")).Code, Is.EqualTo("reason_required"));
        Assert.That(Ok(await Catalog.WithdrawAsync(published.EntryId, "mz.admin", "职能调整，资源不再提供")).Status, Is.EqualTo(CatalogStatus.Withdrawn));

        var entry = await EntryAsync(published.EntryId);
        Assert.That(entry.Published, Is.Null);
        var found = Ok(await Catalog.SearchAsync(new CatalogQuery { Name = "撤销测试目录" }));
        Assert.That(found.Total, Is.Zero);
    }

    [Test]
    public async Task Only_a_draft_may_change_its_data()
    {
        var draft = await CreateDraftAsync();
        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));

        var error = Refused(await Catalog.UpdateDraftAsync(draft.EntryId, EntryData(draft.ResourceCode, "改名"), "mz.cataloger"));

        Assert.That(error.Code, Is.EqualTo(CatalogErrors.StatusConflictCode));
        Assert.That((await EntryAsync(draft.EntryId)).InProgress?.ResourceName, Is.EqualTo("低保救济管理信息"));
    }

    [Test]
    public async Task Commands_on_an_unknown_entry_are_not_found()
    {
        var id = Guid.NewGuid();

        var error = Refused(await Catalog.SubmitAsync(id, "mz.cataloger"));

        Assert.That((error.Kind, error.Code, error.Detail), Is.EqualTo((WorkflowErrorKind.NotFound, "catalog_entry_not_found", $"找不到资源目录 {id}。")));
        Assert.That(await Catalog.GetAsync(id), Is.Null);
    }

    [Test]
    public async Task The_provider_must_be_an_active_department()
    {
        var error = Refused(await Catalog.CreateAsync("no-such-unit", EntryData(NextCode()), "mz.cataloger"));

        Assert.That((error.Code, error.Detail), Is.EqualTo(("provider_not_found", "找不到提供方部门“no-such-unit”，或该部门已停用。")));
    }

    private async Task<Guid> EntryInAsync(CatalogStatus status)
    {
        var entryId = (await CreateDraftAsync()).EntryId;
        if (status == CatalogStatus.Draft) return entryId;
        Ok(await Catalog.SubmitAsync(entryId, "mz.cataloger"));
        if (status == CatalogStatus.InReview) return entryId;
        Ok(await Catalog.RegisterAsync(entryId, "mz.admin"));
        if (status == CatalogStatus.Registered) return entryId;
        if (status == CatalogStatus.Returned)
        {
            Ok(await Catalog.ReturnRegistrationAsync(entryId, "admin1", ["摘要不完整"]));
            return entryId;
        }

        Ok(await Catalog.PublishAsync(entryId, "mz.admin"));
        if (status == CatalogStatus.Published) return entryId;
        Ok(await Catalog.WithdrawAsync(entryId, "mz.admin", "不再提供"));
        return entryId;
    }

    private Task<WorkflowResult<CatalogVersionView>> ApplyAsync(Guid entryId, Move move) => move switch
    {
        Move.Submit => Catalog.SubmitAsync(entryId, "someone"),
        Move.ReturnFromReview => Catalog.ReturnFromReviewAsync(entryId, "someone", "理由"),
        Move.Register => Catalog.RegisterAsync(entryId, "someone"),
        Move.ReturnRegistration => Catalog.ReturnRegistrationAsync(entryId, "someone", ["问题"]),
        Move.Reopen => Catalog.ReopenAsync(entryId, "someone"),
        Move.Publish => Catalog.PublishAsync(entryId, "someone"),
        Move.Withdraw => Catalog.WithdrawAsync(entryId, "someone", "理由"),
        _ => throw new ArgumentOutOfRangeException(nameof(move)),
    };

    private static CatalogAction ActionOf(Move move) => move switch
    {
        Move.Submit => CatalogAction.Submitted,
        Move.ReturnFromReview => CatalogAction.ReviewReturned,
        Move.Register => CatalogAction.Registered,
        Move.ReturnRegistration => CatalogAction.RegistrationReturned,
        Move.Reopen => CatalogAction.Reopened,
        Move.Publish => CatalogAction.Published,
        Move.Withdraw => CatalogAction.Withdrawn,
        _ => throw new ArgumentOutOfRangeException(nameof(move)),
    };
}
