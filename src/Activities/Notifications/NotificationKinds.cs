using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Notifications;

/// <summary>One kind of <c>notify.*</c> message: its zh-CN title and text, made from the message's payload.</summary>
public sealed record NotificationKind(string Type, Func<JsonObject, string> Title, Func<JsonObject, string> Body);

/// <summary>
/// The <c>notify.*</c> messages the engine's human steps (src/Workflows/Tasks) and the <c>Pds.Notify</c> step enqueue.
/// Task messages carry <c>user</c>, <c>taskId</c>, <c>instanceId</c>, <c>title</c> and <c>dueAt</c> (Beijing time, when the
/// step has a deadline); <c>notify.case</c> carries <c>subject</c> and <c>body</c>. A message with <c>orgUnitId</c> instead of
/// <c>user</c> goes to that department's contacts (<see cref="NotificationSender"/>).
/// </summary>
public static class NotificationKinds
{
    public static IReadOnlyList<NotificationKind> All { get; } =
    [
        new("notify.task-assigned", p => $"新待办：{Task(p)}", p => $"您有一项新的待办事项“{Task(p)}”{Due(p, "，办理时限为 ")}，请及时办理。"),
        new("notify.task-delegated", p => $"待办已转交给您：{Task(p)}", p => $"待办事项“{Task(p)}”已转交给您办理{Due(p, "，办理时限为 ")}。"),
        new("notify.task-resolved", p => $"待办已办结：{Task(p)}", p => $"您的待办事项“{Task(p)}”已由他人办结，无需再处理。"),
        new("notify.case-copied", p => $"抄送：{Task(p)}", p => $"办件“{Task(p)}”抄送给您，请知悉。"),
        new("notify.task-urged", p => $"催办：{Task(p)}", p => $"您的待办事项“{Task(p)}”被催办，请尽快办理{Due(p, "（办理时限 ", "）")}。"),
        new("notify.extension-requested", p => $"延期申请待审批：{Task(p)}",
            p => $"待办事项“{Task(p)}”的办理人申请延期{(Text(p, "workingDays") is { } days ? $" {days} 个工作日" : "")}{(Text(p, "reason") is { } why ? $"，理由：{why}" : "")}，请审批。"),
        new("notify.extension-approved", p => $"延期申请已同意：{Task(p)}", p => $"待办事项“{Task(p)}”的延期申请已同意{Due(p, "，新的办理时限为 ")}。"),
        new("notify.extension-rejected", p => $"延期申请未同意：{Task(p)}", p => $"待办事项“{Task(p)}”的延期申请未获同意，请按原时限{Due(p, " ")}办理。"),
        new("notify.task-due-soon", p => $"待办即将到期：{Task(p)}", p => $"您的待办事项“{Task(p)}”即将到期{Due(p, "（办理时限 ", "）")}，请尽快办理。"),
        new("notify.task-overdue", p => $"待办已超期：{Task(p)}", p => $"待办事项“{Task(p)}”已超过办理时限，请督促办理。"),
        new("notify.case", p => Text(p, "subject") ?? "办件通知", p => Text(p, "body") ?? Text(p, "subject") ?? "您有一条办件通知。"),
        // Queued by the interfaces' daily sweep to the consumer department (orgUnitId), 001 第十九条.
        new("notify.interface-term-ending", p => $"服务接口授权即将到期：{Interface(p)}",
            p => $"{Text(p, "consumerName") ?? "贵单位"}的业务系统“{Text(p, "systemName") ?? "业务系统"}”调用服务接口“{Interface(p)}”的授权将于 " +
                 $"{Text(p, "termEnd") ?? "近期"} 到期{(p["workingDaysLeft"] is JsonValue left && left.TryGetValue<int>(out var days) ? $"（剩余 {days} 个工作日）" : "")}。" +
                 "期满后接口将停止服务，如需继续使用，请在到期前重新提出接口申请（《共享交换平台管理暂行办法》第十九条）。"),
    ];

    private static readonly Dictionary<string, NotificationKind> ByType = All.ToDictionary(k => k.Type, StringComparer.Ordinal);

    public static NotificationKind? Of(string type) => ByType.GetValueOrDefault(type);

    private static string Task(JsonObject payload) => Text(payload, "title") ?? "待办事项";

    private static string Interface(JsonObject payload) => Text(payload, "interfaceName") ?? "服务接口";

    private static string Due(JsonObject payload, string prefix, string suffix = "") => Text(payload, "dueAt") is { } due ? prefix + due + suffix : "";

    internal static string? Text(JsonObject payload, string name) =>
        payload[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
}
