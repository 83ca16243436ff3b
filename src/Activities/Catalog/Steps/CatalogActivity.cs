using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// What the catalog's activities share: the change runs inside the burst's transaction (<see cref="CatalogService.InBurstAsync{T}"/>)
/// and commits with the workflow's; the activity completes with <see cref="Activity.Done"/>, or with <see cref="Refused"/>
/// and the zh-CN reason (and the form's field errors) in its outputs when the catalog refuses the move.
/// </summary>
public abstract class CatalogActivity : Activity
{
    public const string Refused = "Refused";
    public const string CategoryName = "资源目录";

    [Output(DisplayName = "目录编号")]
    public Output<string?> CatalogEntryId { get; set; } = default!;

    [Output(DisplayName = "版本号")]
    public Output<int?> Version { get; set; } = default!;

    [Output(DisplayName = "目录状态", Description = "Draft、InReview、Registered、Returned、Published、Superseded、Withdrawn")]
    public Output<string?> Status { get; set; } = default!;

    [Output(DisplayName = "信息资源代码")]
    public Output<string?> ResourceCode { get; set; } = default!;

    [Output(DisplayName = "不通过原因", Description = "被拒绝时的中文说明")]
    public Output<string?> RefusalReason { get; set; } = default!;

    [Output(DisplayName = "错误代码")]
    public Output<string?> RefusalCode { get; set; } = default!;

    [Output(DisplayName = "字段错误", Description = "目录信息不符合表单规则时，逐项列出字段、代码和中文说明")]
    public Output<List<FormError>?> FieldErrors { get; set; } = default!;

    /// <summary>Completes with <see cref="Activity.Done"/> and the version's facts in the outputs.</summary>
    protected void Succeed(ActivityExecutionContext context, CatalogVersionView version)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(version);
        context.Set(CatalogEntryId, version.EntryId.ToString());
        context.Set(Version, version.Number);
        context.Set(Status, version.Status.ToString());
        context.Set(ResourceCode, version.ResourceCode);
        context.Complete(Done);
    }

    /// <summary>Completes with <see cref="Refused"/>; the reason is also written to the journal.</summary>
    protected void Refuse(ActivityExecutionContext context, WorkflowError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Set(RefusalReason, error.Detail);
        context.Set(RefusalCode, error.Code);
        context.Set(FieldErrors, error.Errors.Where(e => e.Input is not null).Select(e => new FormError(e.Input!, e.Code, e.Message)).ToList());
        context.AddJournalNote($"资源目录未办理：{error.Detail}");
        context.Complete(Refused);
    }

    /// <summary>The entry id an input names, or the refusal to complete with.</summary>
    protected static WorkflowResult<Guid> ParseEntryId(string? text) =>
        Guid.TryParse(text, out var id) ? id : CatalogErrors.Invalid("entry_id_invalid", $"“{text}”不是有效的资源目录编号。");
}

/// <summary>An activity that runs one catalog command on a version and reports that version.</summary>
public abstract class CatalogVersionActivity : CatalogActivity
{
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await context.GetRequiredService<CatalogService>().InBurstAsync(context, (session, ct) => RunAsync(context, session, ct));
        if (result.IsSuccess) Succeed(context, result.Value);
        else Refuse(context, result.Error!);
    }

    /// <summary>The catalog command this activity stands for, on the burst's session.</summary>
    protected abstract Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session,
        CancellationToken cancellationToken);
}

/// <summary>An activity about an existing entry, named by its id.</summary>
public abstract class CatalogEntryActivity : CatalogVersionActivity
{
    [Input(DisplayName = "目录编号", Description = "资源目录的编号，例如 variables.catalogEntryId", UIHint = UIHints.Code, Required = true)]
    public Input<string> EntryId { get; set; } = default!;

    protected sealed override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = ParseEntryId(context.Get(EntryId));
        return id.IsSuccess ? RunAsync(context, session, id.Value, cancellationToken) : Task.FromResult<WorkflowResult<CatalogVersionView>>(id.Error!);
    }

    protected abstract Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken);
}
