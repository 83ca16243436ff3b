using System.Globalization;
using System.Text.Json.Nodes;
using PdsWorkflow.Activities.DataSharing.Forms;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// The fields of form 3 (forms/interface-request.json, 服务接口申请表) the authorisation uses. A form that cannot be
/// acted on stops the step with an incident saying why (<see cref="WorkflowFaultException"/>).
/// </summary>
public sealed record InterfaceRequest(
    string ProviderUnit,
    string InterfaceName,
    string? UserDepartmentCode,
    string UserDepartmentName,
    string SystemName,
    string ContactName,
    string ContactPhone,
    string ContactEmail,
    AuthorizationTerms Terms)
{
    public static InterfaceRequest Read(JsonObject? form)
    {
        if (form is null) throw new WorkflowFaultException("接口申请表为空，无法开通授权。");
        var start = Date(form, "periodStart");
        var days = Number(form, "periodDays");
        if (days is < 1 or > ApiAuthorization.MaxTermDays)
            throw new WorkflowFaultException($"接口使用期限应为 1 至 {ApiAuthorization.MaxTermDays} 天，申请表为 {days} 天。");
        var end = start.AddDays(days - 1);

        var windows = new List<SeasonalWindow>();
        if (form["seasonalWindows"] is JsonArray rows)
        {
            foreach (var row in rows.OfType<JsonObject>())
            {
                var window = new SeasonalWindow(Date(row, "start"), Date(row, "end"));
                if (window.End < window.Start || window.Start < start || window.End > end)
                    throw new WorkflowFaultException($"季节性使用时段 {window.Start:yyyy-MM-dd} 至 {window.End:yyyy-MM-dd} 不在使用期限内或起止颠倒。");
                windows.Add(window);
            }
        }

        var (ips, invalid) = SourceAddresses.Parse(Text(form, "extranetIps"));
        if (invalid is not null) throw new WorkflowFaultException($"业务系统的政务外网 IP“{invalid}”不是有效的 IP 地址或网段。");
        if (ips.Count == 0) throw new WorkflowFaultException("申请表没有业务系统的政务外网 IP，网关无法限定调用来源。");

        var hoursText = Text(form, "usageHours") ?? throw new WorkflowFaultException("申请表没有服务接口使用时间范围。");
        var hours = UsageHours.Parse(hoursText, out _) ?? throw new WorkflowFaultException($"服务接口使用时间范围“{hoursText}”无法识别。");
        var average = Number(form, "dailyCallsAverage");
        var peak = Number(form, "dailyCallsPeak");
        if (average < 1 || peak < average) throw new WorkflowFaultException($"每天使用次数的平均值 {average} 与峰值 {peak} 不合理。");

        return new InterfaceRequest(
            Required(form, "providerUnit"), Required(form, "interfaceName"), Text(form, "userDepartmentCode"), Required(form, "userDepartmentName"),
            Required(form, "systemName"), Required(form, "contactName"), Required(form, "contactPhone"), Required(form, "contactEmail"),
            new AuthorizationTerms(ips, start, end, windows, hours.ToString(), average, peak));
    }

    private static string Required(JsonObject form, string key) =>
        Text(form, key) ?? throw new WorkflowFaultException($"接口申请表缺少“{key}”，无法开通授权。");

    private static string? Text(JsonObject form, string key) =>
        form[key] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static DateOnly Date(JsonObject form, string key) =>
        DateOnly.TryParseExact(Text(form, key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new WorkflowFaultException($"接口申请表的“{key}”不是 yyyy-MM-dd 格式的日期。");

    private static int Number(JsonObject form, string key) => form[key] switch
    {
        JsonValue v when v.TryGetValue<int>(out var n) => n,
        JsonValue v when v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue => (int)l,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw new WorkflowFaultException($"接口申请表的“{key}”不是整数。"),
    };
}
