using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The problem details ASP.NET Core writes by itself (a body that is not JSON or has the wrong types, a route that does
/// not match, a wrong method or media type, an unhandled exception) get what every API error carries: a stable English
/// <c>code</c> and a zh-CN title and detail. Problems the endpoints write already have a code and are left alone.
/// </summary>
public static class ProblemDefaults
{
    /// <summary>
    /// A request the framework could not bind (malformed JSON, a wrong type, a missing body) is the caller's error: where
    /// it is thrown (the Development environment throws on bad requests) it answers its own 4xx, not 500.
    /// </summary>
    public static int StatusOf(Exception exception, DatabaseDialect dialect) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        // A NUL in a query value reaches PostgreSQL, whose text cannot hold it (22021): the caller's input, not a fault.
        _ when dialect.IsUnstorableText(exception) => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var (code, title, detail) = status switch
        {
            StatusCodes.Status400BadRequest => ("bad_request", "请求有误", "请求内容不是有效的 JSON，或字段、参数的类型不符合要求"),
            StatusCodes.Status401Unauthorized => ("not_signed_in", "请先登录", "请先登录后再操作"),
            StatusCodes.Status403Forbidden => ("forbidden", "无权访问", "您没有执行此操作的权限"),
            StatusCodes.Status404NotFound => ("not_found", "资源不存在", "请求的地址或对象不存在"),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", "不支持的请求方法", "该地址不支持此请求方法"),
            StatusCodes.Status413PayloadTooLarge => ("payload_too_large", "请求内容过大", "请求内容超过了允许的大小"),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "不支持的内容类型", "请求的内容类型（Content-Type）不受支持"),
            >= 500 => ("internal_error", "服务器内部错误", "服务器处理请求时出错，请稍后重试或联系平台运维"),
            _ => ("request_failed", "请求未能完成", "请求未能完成"),
        };
        problem.Title = title;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
    }
}
