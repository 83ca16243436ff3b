using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Mount", Category = CategoryName, DisplayName = "资源挂接",
    Description = "目录发布后，提供部门在目录上挂接数据资源：前置库库表、文件夹或服务接口；挂接信息按目录表单的挂接字段校验。")]
[Outcomes(Done, Refused)]
public sealed class MountCatalogResource : CatalogActivity
{
    [Input(DisplayName = "目录编号", Description = "例如 variables.catalogEntryId", UIHint = UIHints.Code, Required = true)]
    public Input<string> EntryId { get; set; } = default!;

    [Input(DisplayName = "挂接类型", UIHint = UIHints.Dropdown, Options = ["table", "file", "api"], Required = true)]
    public Input<CatalogMountKind> Kind { get; set; } = default!;

    [Input(DisplayName = "库表名", Description = "挂接库表时填写，例如 variables.form.mountedTableName", UIHint = UIHints.Code)]
    public Input<string?> TableName { get; set; } = default!;

    [Input(DisplayName = "文件夹", Description = "挂接文件时填写，以“/”开头，例如 /gaj/jmsfz", UIHint = UIHints.Code)]
    public Input<string?> Folder { get; set; } = default!;

    [Input(DisplayName = "文件", Description = "挂接文件时的文件清单 [{fileName, description}]，例如 variables.form.mountedFiles", UIHint = UIHints.Code)]
    public Input<List<CatalogMountedFile>?> Files { get; set; } = default!;

    [Input(DisplayName = "服务接口名称", Description = "挂接服务接口时填写，例如 variables.form.mountedApiName", UIHint = UIHints.Code)]
    public Input<string?> ApiName { get; set; } = default!;

    [Input(DisplayName = "服务接口地址", Description = "挂接服务接口时填写，http:// 或 https:// 开头", UIHint = UIHints.Code)]
    public Input<string?> Endpoint { get; set; } = default!;

    [Input(DisplayName = "挂接说明", UIHint = UIHints.Code)]
    public Input<string?> Description { get; set; } = default!;

    [Output(DisplayName = "挂接编号")]
    public Output<string?> MountId { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = ParseEntryId(context.Get(EntryId));
        if (!id.IsSuccess)
        {
            Refuse(context, id.Error!);
            return;
        }

        var request = new CatalogMountRequest(context.Get(Kind))
        {
            TableName = context.Get(TableName),
            Folder = context.Get(Folder),
            Files = context.Get(Files) ?? [],
            ApiName = context.Get(ApiName),
            Endpoint = context.Get(Endpoint),
            Description = context.Get(Description),
        };
        var result = await context.GetRequiredService<CatalogService>().InBurstAsync(context, (session, ct) => session.MountAsync(id.Value, request, ct));
        if (!result.IsSuccess)
        {
            Refuse(context, result.Error!);
            return;
        }

        context.Set(CatalogEntryId, id.Value.ToString());
        context.Set(MountId, result.Value.Id.ToString());
        context.Complete(Done);
    }
}
