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

    public static IResult NotFound(string code, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "资源不存在", detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult Ok<T>(WorkflowResult<T> result) => result.IsSuccess ? Results.Ok(result.Value) : From(result.Error!);
}
