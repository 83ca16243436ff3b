using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;

namespace PdsWorkflow.Activities.Exchange;

public static class ExchangeCategories
{
    public const string Accounts = "账号";
    public const string Exchange = "数据交换";
    public const string Interfaces = "接口";
    public const string Provincial = "省级数据";
}

[Activity(Type, Category = ExchangeCategories.Exchange, DisplayName = "库表交换",
    Description = "按订阅的数据项在需求方前置库（区县订阅时为区县前置库）建表并分批复制数据，记录行数与校验和。")]
public sealed partial class ExchangeTable : Activity
{
    public const string Type = "Pds.Exchange.Table";

    [Input(DisplayName = "订阅申请", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Subscription { get; set; } = default!;

    [Input(DisplayName = "交换层级", Description = "city（同级）或 county（跨层级，推送至区县前置库）", UIHint = UIHints.Dropdown, DefaultValue = "city",
        Options = ["city", "county"])]
    public Input<string> TargetLevel { get; set; } = default!;

    [Output(DisplayName = "交换行数")]
    public Output<long> Rows { get; set; } = default!;
}

[Activity(Type, Category = ExchangeCategories.Exchange, DisplayName = "文件交换",
    Description = "把提供方目录中允许格式的文件写入需求方接收目录，记录 SHA-256。")]
public sealed partial class ExchangeFiles : Activity
{
    public const string Type = "Pds.Exchange.Files";

    [Input(DisplayName = "订阅申请", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Subscription { get; set; } = default!;

    [Input(DisplayName = "交换层级", UIHint = UIHints.Dropdown, DefaultValue = "city", Options = ["city", "county"])]
    public Input<string> TargetLevel { get; set; } = default!;

    [Output(DisplayName = "文件数")]
    public Output<int> Files { get; set; } = default!;
}
