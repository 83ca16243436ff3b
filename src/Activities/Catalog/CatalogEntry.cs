namespace PdsWorkflow.Activities.Catalog;

/// <summary>Who changes the catalog: a user id, and the workflow step when an activity makes the change.</summary>
public sealed record CatalogActor(string Id, Guid? InstanceId = null, string? ActivityId = null);

/// <summary>
/// A catalog entry (资源目录): one information resource of one provider department, known by a stable id and by its
/// resource code, with its versions (<see cref="CatalogVersion"/>) and mounted resources (<see cref="CatalogMount"/>).
/// </summary>
public sealed class CatalogEntry
{
    private CatalogEntry()
    {
    }

    internal CatalogEntry(string resourceCode, string providerOrgUnitId, CatalogActor actor, DateTime at)
    {
        Id = Guid.NewGuid();
        ResourceCode = resourceCode;
        ProviderOrgUnitId = providerOrgUnitId;
        CreatedAt = at;
        CreatedBy = actor.Id;
    }

    public Guid Id { get; private set; }

    /// <summary>信息资源代码, e.g. 10100101/0001; unique in the catalog.</summary>
    public string ResourceCode { get; private set; } = "";

    /// <summary>The provider department's org unit (org_units.Id).</summary>
    public string ProviderOrgUnitId { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    /// <summary>
    /// Set when a version is first published. From then on the resource code may not change: it is "政务信息资源的唯一不变
    /// 的标识代码" (seed 002, 附1 元数据说明 3), and subscriptions refer to it.
    /// </summary>
    public bool EverPublished { get; private set; }

    public int Revision { get; private set; }

    internal bool MayChangeResourceCode => !EverPublished;

    internal void ChangeResourceCode(string code)
    {
        if (EverPublished) throw new InvalidOperationException("A published entry's resource code never changes.");
        ResourceCode = code;
        Revision++;
    }

    internal void MarkPublished()
    {
        EverPublished = true;
        Revision++;
    }
}
