using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>Expected failures as RFC 7807 problem details: a stable English <c>code</c>, a zh-CN title and detail.</summary>
public static class Problems
{
    public static IResult From(WorkflowError error) => Results.Problem(
        statusCode: error.Kind switch
        {
            WorkflowErrorKind.NotFound => StatusCodes.Status404NotFound,
            WorkflowErrorKind.Conflict => StatusCodes.Status409Conflict,
            WorkflowErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        },
        title: error.Title,
        detail: error.Detail,
        extensions: new Dictionary<string, object?>
        {
            ["code"] = error.Code,
            ["errors"] = error.Errors.Count == 0 ? null : error.Errors,
        });

    public static IResult Field(string field, string code, string message) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "请求参数有误",
        detail: message,
        extensions: new Dictionary<string, object?>
        {
            ["code"] = code,
            ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
        });

    /// <summary>Several field errors at once: <c>errors</c> maps each field to its zh-CN messages.</summary>
    public static IResult Fields(string code, IReadOnlyDictionary<string, List<string>> errors) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "请求参数有误",
        detail: $"有 {errors.Sum(e => e.Value.Count)} 处需要修改：{errors.First().Value[0]}",
        extensions: new Dictionary<string, object?>
        {
            ["code"] = code,
            ["errors"] = errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        });

    /// <summary>
    /// A refusal from the engine or a module; errors that name a field (a form's) come as <c>errors</c> per field, the
    /// shape every API error uses, with each error's code beside it in <c>fieldCodes</c>.
    /// </summary>
    public static IResult FromFields(WorkflowError error) => error.Errors.Count == 0 || error.Errors.Any(e => e.Input is null)
        ? From(error)
        : Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: error.Title,
            detail: error.Detail,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = error.Code,
                ["errors"] = error.Errors.GroupBy(e => e.Input!).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                ["fieldCodes"] = error.Errors.GroupBy(e => e.Input!).ToDictionary(g => g.Key, g => g.Select(e => e.Code).ToArray()),
            });

    public static IResult NotFound(string code, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "资源不存在", detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult Ok<T>(WorkflowResult<T> result) => result.IsSuccess ? Results.Ok(result.Value) : From(result.Error!);
}

/// <summary>The engine's and the modules' results of audited actions, written to the security log as they are answered.</summary>
public static class AuditedResults
{
    /// <summary>
    /// Logs <paramref name="result"/> (a success, or a refusal with its error code) and answers it as <see cref="Problems.Ok{T}"/>.
    /// The engine commits the action in its own transaction; the row follows it (docs/security.md, "Security audit log").
    /// </summary>
    public static async Task<IResult> OkAudited<T>(this HttpContext context, string kind, string target, WorkflowResult<T> result,
        Func<T, string?>? detail = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.LogSecurityAsync(kind, result.IsSuccess ? Workflows.Audit.SecurityResults.Success : Workflows.Audit.SecurityResults.Refused, target,
            result.IsSuccess ? detail?.Invoke(result.Value!) : $"{result.Error!.Code}: {result.Error.Detail ?? result.Error.Title}");
        return Problems.Ok(result);
    }
}
