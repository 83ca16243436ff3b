using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// One version of a catalog entry: the catalog-entry form's data (13 core metadata and the information items) and its
/// place in the lifecycle. The status changes only through the methods below, each of which checks the current status,
/// refuses an illegal move with a zh-CN reason, and returns the audit row that records who, when and why.
/// <code>
/// Draft → InReview (提交编审) → Registered (提交注册) → Published (发布) → Withdrawn (撤销发布)
///            ↓ 编审退回 → Draft        ↓ 注册退回 → Returned → Draft (重新编目)
///                                                  Published → Superseded (a later version is published)
/// </code>
/// </summary>
public sealed class CatalogVersion
{
    private static readonly Dictionary<CatalogAction, (CatalogStatus[] From, CatalogStatus To)> Moves = new()
    {
        [CatalogAction.Submitted] = ([CatalogStatus.Draft], CatalogStatus.InReview),
        [CatalogAction.ReviewReturned] = ([CatalogStatus.InReview], CatalogStatus.Draft),
        [CatalogAction.Registered] = ([CatalogStatus.InReview], CatalogStatus.Registered),
        [CatalogAction.RegistrationReturned] = ([CatalogStatus.Registered], CatalogStatus.Returned),
        [CatalogAction.Reopened] = ([CatalogStatus.Returned], CatalogStatus.Draft),
        [CatalogAction.Published] = ([CatalogStatus.Registered], CatalogStatus.Published),
        [CatalogAction.Superseded] = ([CatalogStatus.Published], CatalogStatus.Superseded),
        [CatalogAction.Withdrawn] = ([CatalogStatus.Published], CatalogStatus.Withdrawn),
    };

    private CatalogVersion()
    {
    }

    private CatalogVersion(Guid entryId, int number, CatalogData data, CatalogActor actor, DateTime at, string? revisionReason, DateTime? updateDueAt)
    {
        Id = Guid.NewGuid();
        EntryId = entryId;
        Number = number;
        Status = CatalogStatus.Draft;
        CreatedAt = at;
        CreatedBy = actor.Id;
        StatusChangedAt = at;
        StatusChangedBy = actor.Id;
        RevisionReason = revisionReason;
        UpdateDueAt = updateDueAt;
        Apply(data, actor, at);
    }

    public Guid Id { get; private set; }
    public Guid EntryId { get; private set; }

    /// <summary>1, 2, …: a change to a published entry is a new version.</summary>
    public int Number { get; private set; }

    public CatalogStatus Status { get; private set; }

    /// <summary>The version of the catalog-entry form the data was validated with.</summary>
    public int FormVersion { get; private set; }

    /// <summary>The form's data, normalised by the form validator.</summary>
    public string DataJson { get; private set; } = "{}";

    public string ResourceName { get; private set; } = "";
    public string ResourceCode { get; private set; } = "";

    /// <summary>类 + 项 + 目 + 细目 of the resource code, for searching by classification.</summary>
    public string ClassificationCode { get; private set; } = "";

    /// <summary>1 无条件共享, 2 有条件共享, 3 不予共享.</summary>
    public int ShareType { get; private set; }

    public string FormatCategory { get; private set; } = "";
    public string UpdateCycle { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";
    public DateTime StatusChangedAt { get; private set; }
    public string StatusChangedBy { get; private set; } = "";
    public DateTime? PublishedAt { get; private set; }
    public string? PublishedBy { get; private set; }

    /// <summary>The problems the platform admin found at the last 注册退回, a JSON array of strings.</summary>
    public string? ReturnProblemsJson { get; private set; }

    /// <summary>Why this version was started (变更原因), for versions after the first.</summary>
    public string? RevisionReason { get; private set; }

    /// <summary>When a law or function change obliges the update, the version must be published by then (004 第十一条).</summary>
    public DateTime? UpdateDueAt { get; private set; }

    public int Revision { get; private set; }

    internal bool IsOpen => Status is CatalogStatus.Draft or CatalogStatus.InReview or CatalogStatus.Registered or CatalogStatus.Returned;

    internal JsonObject Data => (JsonObject)JsonNode.Parse(DataJson)!;

    internal static CatalogVersion NewDraft(Guid entryId, int number, CatalogData data, CatalogActor actor, DateTime at,
        string? revisionReason = null, DateTime? updateDueAt = null) =>
        new(entryId, number, data, actor, at, revisionReason, updateDueAt);

    /// <summary>Replaces a draft's data; the audit row names the fields that changed.</summary>
    internal WorkflowResult<CatalogAuditRecord> Edit(CatalogData data, CatalogActor actor, DateTime at)
    {
        if (Status != CatalogStatus.Draft) return CatalogErrors.NotEditable(this);
        var before = Data;
        var changed = before.Select(p => p.Key).Union(data.Json.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(before[key], data.Json[key])).Order(StringComparer.Ordinal).ToList();
        Apply(data, actor, at);
        Revision++;
        return CatalogAuditRecord.Of(this, CatalogAction.Edited, Status, actor, at, null,
            new JsonObject { ["changed"] = new JsonArray(changed.Select(key => (JsonNode?)key).ToArray()) });
    }

    internal WorkflowResult<CatalogAuditRecord> Submit(CatalogActor actor, DateTime at, string? comment) =>
        Move(CatalogAction.Submitted, actor, at, comment);

    internal WorkflowResult<CatalogAuditRecord> ReturnFromReview(CatalogActor actor, DateTime at, string? reason) =>
        Move(CatalogAction.ReviewReturned, actor, at, reason, reasonRequired: true);

    internal WorkflowResult<CatalogAuditRecord> Register(CatalogActor actor, DateTime at, string? comment) =>
        Move(CatalogAction.Registered, actor, at, comment);

    /// <summary>注册退回: the platform admin lists the problems found; at least one.</summary>
    internal WorkflowResult<CatalogAuditRecord> ReturnRegistration(CatalogActor actor, DateTime at, IReadOnlyList<string> problems)
    {
        var listed = problems.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (Status == CatalogStatus.Registered && listed.Count == 0) return CatalogErrors.ProblemsRequired();
        var problemsJson = new JsonArray(listed.Select(p => (JsonNode?)p).ToArray());
        var moved = Move(CatalogAction.RegistrationReturned, actor, at, string.Join("；", listed), new JsonObject { ["problems"] = problemsJson.DeepClone() });
        if (moved.IsSuccess) ReturnProblemsJson = problemsJson.ToJsonString();
        return moved;
    }

    internal WorkflowResult<CatalogAuditRecord> Reopen(CatalogActor actor, DateTime at, string? comment) =>
        Move(CatalogAction.Reopened, actor, at, comment);

    internal WorkflowResult<CatalogAuditRecord> Publish(CatalogActor actor, DateTime at, string? comment)
    {
        var moved = Move(CatalogAction.Published, actor, at, comment);
        if (moved.IsSuccess)
        {
            PublishedAt = at;
            PublishedBy = actor.Id;
        }

        return moved;
    }

    /// <summary>Called only when a later version of the same entry is published.</summary>
    internal WorkflowResult<CatalogAuditRecord> Supersede(CatalogActor actor, DateTime at, int successor) =>
        Move(CatalogAction.Superseded, actor, at, $"第{successor}版已发布", new JsonObject { ["successor"] = successor });

    internal WorkflowResult<CatalogAuditRecord> Withdraw(CatalogActor actor, DateTime at, string? reason) =>
        Move(CatalogAction.Withdrawn, actor, at, reason, reasonRequired: true);

    internal IReadOnlyList<string> ReturnProblems =>
        ReturnProblemsJson is null ? [] : JsonNode.Parse(ReturnProblemsJson)!.AsArray().Select(p => p!.GetValue<string>()).ToList();

    internal static IReadOnlyList<CatalogStatus> AllowedFrom(CatalogAction action) => Moves[action].From;

    /// <summary>Whether <paramref name="action"/> may happen now (the same table the moves check).</summary>
    internal bool Allows(CatalogAction action) => Moves[action].From.Contains(Status);

    private WorkflowResult<CatalogAuditRecord> Move(CatalogAction action, CatalogActor actor, DateTime at, string? reason,
        JsonObject? details = null, bool reasonRequired = false)
    {
        var to = Moves[action].To;
        if (!Allows(action)) return CatalogErrors.IllegalMove(this, action);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reasonRequired && reason is null) return CatalogErrors.ReasonRequired(action);
        var before = Status;
        Status = to;
        StatusChangedAt = at;
        StatusChangedBy = actor.Id;
        Revision++;
        return CatalogAuditRecord.Of(this, action, before, actor, at, reason, details);
    }

    private void Apply(CatalogData data, CatalogActor actor, DateTime at)
    {
        FormVersion = data.FormVersion;
        DataJson = data.Json.ToJsonString(CatalogJson.Stored);
        ResourceName = data.ResourceName;
        ResourceCode = data.ResourceCode;
        ClassificationCode = data.ClassificationCode;
        ShareType = data.ShareType;
        FormatCategory = data.FormatCategory;
        UpdateCycle = data.UpdateCycle;
        UpdatedAt = at;
        UpdatedBy = actor.Id;
    }
}
