namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// Where one version of a catalog entry is in P3 (seed 000, 目录资源发布流程): compiled as a draft, reviewed by the
/// department (编审), submitted to the platform (注册), published (发布). Stored by name.
/// </summary>
public enum CatalogStatus
{
    /// <summary>草稿: being compiled (编目); the only status whose data may change.</summary>
    Draft,

    /// <summary>编审中: the department admin reviews it.</summary>
    InReview,

    /// <summary>已注册: submitted to the platform, waiting for the platform admin's audit.</summary>
    Registered,

    /// <summary>注册退回: the platform admin returned it with the problems found.</summary>
    Returned,

    /// <summary>已发布: the version the catalog shows.</summary>
    Published,

    /// <summary>已被取代: a later version of the entry was published.</summary>
    Superseded,

    /// <summary>已撤销发布: taken out of the catalog.</summary>
    Withdrawn,
}

/// <summary>What an audit row records. Stored by name.</summary>
public enum CatalogAction
{
    Created,
    Edited,
    Revised,
    Submitted,
    ReviewReturned,
    Registered,
    RegistrationReturned,
    Reopened,
    Published,
    Superseded,
    Withdrawn,
    Mounted,
    Unmounted,
}

/// <summary>The zh-CN names users see.</summary>
public static class CatalogText
{
    public static string Name(CatalogStatus status) => status switch
    {
        CatalogStatus.Draft => "草稿",
        CatalogStatus.InReview => "编审中",
        CatalogStatus.Registered => "已注册待审核",
        CatalogStatus.Returned => "注册退回",
        CatalogStatus.Published => "已发布",
        CatalogStatus.Superseded => "已被新版本取代",
        CatalogStatus.Withdrawn => "已撤销发布",
        _ => status.ToString(),
    };

    public static string Name(CatalogAction action) => action switch
    {
        CatalogAction.Created => "编目",
        CatalogAction.Edited => "修改草稿",
        CatalogAction.Revised => "发起变更",
        CatalogAction.Submitted => "提交编审",
        CatalogAction.ReviewReturned => "编审退回",
        CatalogAction.Registered => "提交注册",
        CatalogAction.RegistrationReturned => "注册退回",
        CatalogAction.Reopened => "重新编目",
        CatalogAction.Published => "发布",
        CatalogAction.Superseded => "被新版本取代",
        CatalogAction.Withdrawn => "撤销发布",
        CatalogAction.Mounted => "资源挂接",
        CatalogAction.Unmounted => "解除挂接",
        _ => action.ToString(),
    };

    public static string Name(CatalogMountKind kind) => kind switch
    {
        CatalogMountKind.Table => "库表",
        CatalogMountKind.File => "文件",
        CatalogMountKind.Api => "服务接口",
        _ => kind.ToString(),
    };
}
