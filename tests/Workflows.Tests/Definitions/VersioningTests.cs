using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Definitions;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class VersioningTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    /// <summary>Waits for a review, then ends with the version's own label as the result.</summary>
    private static WorkflowDefinition Labelled(string id, string label) => new DefinitionBuilder(id)
        .Add("start", "Start")
        .Add("review", "WaitForEvent", Event("review"))
        .Add("end", "End", ("result", Literal(label)))
        .Chain("start", "review", "end")
        .Build();

    [Test]
    public async Task Saving_a_draft_twice_updates_it_and_saving_after_publish_makes_the_next_version()
    {
        var id = UniqueId("ver");
        var first = await Definitions.SaveDraftAsync(Labelled(id, "a"), "admin");
        var again = await Definitions.SaveDraftAsync(Labelled(id, "b"), "admin");
        Assert.That((first.Value.Version, again.Value.Version), Is.EqualTo((1, 1)));
        Assert.That(again.Value.ContentHash, Is.Not.EqualTo(first.Value.ContentHash));

        await Definitions.PublishAsync(id, 1, "admin");
        var next = await Definitions.SaveDraftAsync(Labelled(id, "c"), "admin");

        var versions = await Definitions.ListVersionsAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(next.Value.Version, Is.EqualTo(2));
            Assert.That(versions.Select(v => (v.Version, v.IsLatest, v.IsPublished)), Is.EqualTo(new[] { (1, false, true), (2, true, false) }));
            Assert.That((await Definitions.GetAsync(id, 1))!.Root.Activities.Single(a => a.Id == "end").Inputs["result"].Expression.Value?.GetValue<string>(),
                Is.EqualTo("b"));
        }
    }

    [Test]
    public async Task Instance_started_on_v1_finishes_on_v1_after_v2_is_published()
    {
        var id = UniqueId("pin");
        await PublishAsync(Labelled(id, "v1"));
        var onV1 = await StartAsync(id);

        await PublishAsync(Labelled(id, "v2"));
        var onV2 = await StartAsync(id);

        var v1Done = await ResumeAsync(Bookmark(onV1, "review").Id);
        var v2Done = await ResumeAsync(Bookmark(onV2, "review").Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(v1Done.Result?.GetValue<string>(), Is.EqualTo("v1"));
            Assert.That((await Queries.GetInstanceAsync(onV1.InstanceId))!.DefinitionVersion, Is.EqualTo(1));
            Assert.That(v2Done.Result?.GetValue<string>(), Is.EqualTo("v2"));
            Assert.That((await Queries.GetInstanceAsync(onV2.InstanceId))!.DefinitionVersion, Is.EqualTo(2));
            var versions = await Definitions.ListVersionsAsync(id);
            Assert.That(versions.Single(v => v.Version == 1).IsPublished, Is.False, "publishing v2 retracts v1");
            Assert.That(versions.Single(v => v.Version == 1).RetractedAt, Is.Not.Null);
        }
    }

    [Test]
    public async Task An_invalid_draft_can_be_saved_but_not_published_and_nothing_changes()
    {
        var id = UniqueId("invalid");
        await PublishAsync(Labelled(id, "good"));
        var broken = Labelled(id, "bad");
        broken.Root.Activities.Add(new ActivityNode { Id = "ghost", Type = "Pds.Nope" });

        var saved = await Definitions.SaveDraftAsync(broken, "admin");
        var published = await Definitions.PublishAsync(id, null, "admin");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(saved.IsSuccess, Is.True);
            Assert.That(published.Error?.Code, Is.EqualTo("definition_invalid"));
            Assert.That(published.Error!.Errors.Select(e => e.Code), Is.SupersetOf(new[] { "unknown_activity_type", "unreachable_activity" }));
            var versions = await Definitions.ListVersionsAsync(id);
            Assert.That(versions.Single(v => v.Version == 1).IsPublished, Is.True, "the good version stays published");
            Assert.That(versions.Single(v => v.Version == 2).IsPublished, Is.False);
            Assert.That((await StartAsync(id)).InstanceId, Is.Not.EqualTo(Guid.Empty));
        }
    }

    [Test]
    public async Task Retract_stops_new_instances_but_running_ones_continue()
    {
        var id = UniqueId("retract");
        await PublishAsync(Labelled(id, "v1"));
        var running = await StartAsync(id);

        var retracted = await Definitions.RetractAsync(id, "admin");
        var refused = await Runtime.StartAsync(new StartWorkflowRequest(id));
        var finished = await ResumeAsync(Bookmark(running, "review").Id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retracted.Value.IsPublished, Is.False);
            Assert.That(refused.Error?.Code, Is.EqualTo("definition_not_published"));
            Assert.That(finished.Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That((await Definitions.RetractAsync(id, "admin")).Error?.Code, Is.EqualTo("definition_not_published"));
        }
    }

    [Test]
    public async Task Revert_copies_an_old_version_into_a_new_draft()
    {
        var id = UniqueId("revert");
        await PublishAsync(Labelled(id, "v1"));
        await PublishAsync(Labelled(id, "v2"));

        var reverted = await Definitions.RevertAsync(id, 1, "admin");
        var draft = await Definitions.GetAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reverted.Value.Version, Is.EqualTo(3));
            Assert.That(reverted.Value.IsPublished, Is.False);
            Assert.That(reverted.Value.IsLatest, Is.True);
            Assert.That(draft!.Version, Is.EqualTo(3));
            Assert.That(draft.Root.Activities.Single(a => a.Id == "end").Inputs["result"].Expression.Value?.GetValue<string>(), Is.EqualTo("v1"));
            Assert.That((await Definitions.ListVersionsAsync(id)).Single(v => v.IsPublished).Version, Is.EqualTo(2));
            Assert.That((await Definitions.RevertAsync(id, 9, "admin")).Error?.Code, Is.EqualTo("definition_version_not_found"));
        }

        await Definitions.PublishAsync(id, 3, "admin");
        var run = await StartAsync(id);
        Assert.That((await ResumeAsync(Bookmark(run, "review").Id)).Result?.GetValue<string>(), Is.EqualTo("v1"));
    }

    [Test]
    public async Task Starting_an_unknown_definition_or_a_draft_only_definition_is_refused()
    {
        var id = UniqueId("draftonly");
        await Definitions.SaveDraftAsync(Labelled(id, "x"), "admin");
        Assert.That((await Runtime.StartAsync(new StartWorkflowRequest(id))).Error?.Code, Is.EqualTo("definition_not_published"));
        Assert.That((await Runtime.StartAsync(new StartWorkflowRequest(id) { Version = 1 })).Error?.Code, Is.EqualTo("definition_version_not_found"));
        Assert.That((await Runtime.StartAsync(new StartWorkflowRequest("no-such-" + id))).Error?.Code, Is.EqualTo("definition_not_found"));
    }

    [Test]
    public async Task Stored_definition_keeps_the_designer_layout_and_unknown_properties()
    {
        var id = UniqueId("layout");
        var definition = Labelled(id, "x");
        definition.Root.Activities[0].Metadata = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 10, ["y"] = 20 } } };
        definition.Root.Activities[1].Extra["customProperties"] = new JsonObject { ["owner"] = "市大数据局" };
        await Definitions.SaveDraftAsync(definition, "admin");

        var loaded = await Definitions.GetAsync(id);

        Assert.That(loaded!.Root.Activities[0].Metadata?["designer"]?["position"]?["y"]?.GetValue<int>(), Is.EqualTo(20));
        Assert.That(loaded.Root.Activities[1].Extra["customProperties"]?["owner"]?.GetValue<string>(), Is.EqualTo("市大数据局"));
    }

    [Test]
    public async Task A_version_replaced_by_a_later_publication_is_superseded_and_a_retracted_one_retracted_with_its_release_note_kept()
    {
        var id = UniqueId("sup");
        await Definitions.SaveDraftAsync(Labelled(id, "a"), "admin");
        Assert.That((await Definitions.PublishAsync(id, 1, "admin", "首次发布")).IsSuccess, Is.True);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Definitions.SaveDraftAsync(Labelled(id, "b"), "admin");
        Assert.That((await Definitions.PublishAsync(id, 2, "admin", "  增加复核  ")).IsSuccess, Is.True);

        var versions = await Definitions.ListVersionsAsync(id);
        Assert.That(versions.Select(v => (v.Version, v.State, v.SupersededBy, v.ReleaseNote)), Is.EqualTo(new[]
        {
            (1, VersionStates.Superseded, (int?)2, "首次发布"), (2, VersionStates.Published, (int?)null, "增加复核"),
        }));

        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That((await Definitions.RetractAsync(id, "admin")).IsSuccess, Is.True);
        await Definitions.SaveDraftAsync(Labelled(id, "c"), "admin");
        versions = await Definitions.ListVersionsAsync(id);
        Assert.That(versions.Select(v => (v.Version, v.State)), Is.EqualTo(new[]
        {
            (1, VersionStates.Superseded), (2, VersionStates.Retracted), (3, VersionStates.Draft),
        }));
    }
}
