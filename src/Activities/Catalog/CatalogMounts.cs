using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// Checks one mount. The table name, the file names and the interface name are the catalog-entry form's mount fields and
/// are checked by the form (its pattern for table names, the shared file formats of 001 第八条, its requiredWhen rules on
/// the share method); the folder and the endpoint, which the form does not have, are checked here.
/// </summary>
internal static class CatalogMounts
{
    public const int MaxTargetLength = 400;
    public const int MaxDescriptionLength = 200;

    public static WorkflowResult<(string Target, string? Name, IReadOnlyList<CatalogMountedFile> Files)> Check(
        CatalogForm form, CatalogVersion published, CatalogMountRequest request)
    {
        var errors = new List<FormError>();
        string? target = null;
        string? name = null;
        IReadOnlyList<CatalogMountedFile> files = [];
        switch (request.Kind)
        {
            case CatalogMountKind.Table:
                target = Text(ByForm(form, published, CatalogFields.MountedTableName, request.TableName, required: true, errors));
                break;
            case CatalogMountKind.File:
                target = Folder(request.Folder, errors);
                var rows = new JsonArray(request.Files.Select(file => (JsonNode?)new JsonObject
                {
                    ["fileName"] = file.FileName,
                    ["description"] = file.Description,
                }).ToArray());
                files = ByForm(form, published, CatalogFields.MountedFiles, rows, required: false, errors) is JsonArray normalized
                    ? normalized.OfType<JsonObject>().Select(row => new CatalogMountedFile(Text(row["fileName"])!, Text(row["description"]))).ToList()
                    : [];
                break;
            case CatalogMountKind.Api:
                name = Text(ByForm(form, published, CatalogFields.MountedApiName, request.ApiName, required: true, errors));
                target = Endpoint(request.Endpoint, errors);
                break;
            default:
                return CatalogErrors.Invalid("mount_kind", $"不支持的挂接类型“{request.Kind}”，应为库表、文件或服务接口。");
        }

        if (request.Description is { } description && description.Trim().Length > MaxDescriptionLength)
            errors.Add(new FormError("description", "maxLength", $"挂接说明不能超过{MaxDescriptionLength}个字"));
        return errors.Count > 0 ? CatalogErrors.FormInvalid(errors) : (target!, name, files);
    }

    /// <summary>Runs the form over the one mount field; its errors are reported under the form's key.</summary>
    private static JsonNode? ByForm(CatalogForm form, CatalogVersion published, string key, JsonNode? value, bool required, List<FormError> errors)
    {
        var result = form.ValidateMount(published.Data, published.FormVersion, new JsonObject { [key] = value }, [key], required ? [key] : []);
        errors.AddRange(result.Errors);
        return result.Data[key];
    }

    /// <summary>An absolute path on the exchange's file service, e.g. /gaj/jmsfz; no "." or ".." segments, no backslashes.</summary>
    private static string? Folder(string? folder, List<FormError> errors)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            errors.Add(new FormError("folder", "required", "挂接文件夹为必填项"));
            return null;
        }

        var text = folder.Trim();
        var segments = text.TrimEnd('/').Split('/');
        var valid = text.StartsWith('/') && text.Length <= MaxTargetLength && !text.Contains('\\', StringComparison.Ordinal) &&
                    !text.Any(char.IsControl) && segments.Length > 1 && segments.Skip(1).All(s => s.Length > 0 && s != "." && s != "..");
        if (valid) return string.Join('/', segments);
        errors.Add(new FormError("folder", "folder.invalid", "挂接文件夹应为以“/”开头的路径，如 /gaj/jmsfz，不能含“\\”、“.”、“..”或空的路径段"));
        return null;
    }

    /// <summary>An http or https URL with a host, without user name, password or fragment.</summary>
    private static string? Endpoint(string? endpoint, List<FormError> errors)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            errors.Add(new FormError("endpoint", "required", "服务接口地址为必填项"));
            return null;
        }

        var text = endpoint.Trim();
        if (text.Length <= MaxTargetLength && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
            uri.Host.Length > 0 && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0)
            return text;
        errors.Add(new FormError("endpoint", "endpoint.invalid", "服务接口地址应为以 http:// 或 https:// 开头的完整地址，不能含用户名、密码或“#”片段"));
        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
