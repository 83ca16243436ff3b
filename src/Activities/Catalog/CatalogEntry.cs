namespace PdsWorkflow.Activities.Catalog;

/// <summary>Who changes the catalog: a user id, and the workflow step when an activity makes the change.</summary>
public sealed record CatalogActor(string Id, Guid? InstanceId = null, string? ActivityId = null);

/// <summary>
/// Where a proxied (代理) entry comes from: a resource of the provincial or national sharing platform that the bureau
/// proxies onto the city platform after the provincial department agreed (000 五, 001 第十八条).
/// </summary>
/// <param name="Level"><see cref="Province"/> or <see cref="National"/>.</param>
/// <param name="Department">The provincial (or national) department that provides the resource, e.g. 河南省市场监督管理局.</param>
/// <param name="ResourceCode">The resource's code on its own platform.</param>
/// <param name="Request">The correlation id of the forwarding that obtained it, when there was one.</param>
public sealed record CatalogSource(string Level, string Department, string ResourceCode, string? Request = null)
{
    public const string Province = "province";
    public const string National = "national";
}

/// <summary>
/// A catalog entry (资源目录): one information resource of one provider department, known by a stable id and by its
/// resource code, with its versions (<see cref="CatalogVersion"/>) and mounted resources (<see cref="CatalogMount"/>).
/// </summary>
public sealed class CatalogEntry
{
    private CatalogEntry()
    {
    }

    internal CatalogEntry(string resourceCode, string providerOrgUnitId, CatalogActor actor, DateTime at, CatalogSource? source = null)
    {
        Id = Guid.NewGuid();
        ResourceCode = resourceCode;
        ProviderOrgUnitId = providerOrgUnitId;
        CreatedAt = at;
        CreatedBy = actor.Id;
        SourceLevel = source?.Level;
        SourceDepartment = source?.Department;
        SourceResourceCode = source?.ResourceCode;
        SourceRequest = source?.Request;
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

    /// <summary>Set on a proxied entry (代理): the org unit is the bureau that proxies it, the source names the real provider.</summary>
    public string? SourceLevel { get; private set; }

    public string? SourceDepartment { get; private set; }
    public string? SourceResourceCode { get; private set; }
    public string? SourceRequest { get; private set; }

    public CatalogSource? Source => SourceLevel is null ? null : new CatalogSource(SourceLevel, SourceDepartment!, SourceResourceCode!, SourceRequest);

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
