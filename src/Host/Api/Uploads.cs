using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// Files in and out of a case (docs/security.md "Uploads"). An upload is a multipart request with one part named
/// <c>file</c>, optionally for a form's file field (<c>?field=stampedScan</c>, whose <c>accept</c> list then applies). It
/// is an ordinary state-changing request: the CSRF header is required like everywhere else. Who may attach is decided
/// before a byte of the body is read; the file is streamed to the attachment store, which checks its bytes against its
/// extension. Downloads carry the type found on upload, inline only for PDF and images, in a sandbox.
/// </summary>
internal static class Uploads
{
    public const string FilePart = "file";

    /// <summary>Above the file's own limit, for the multipart framing around it.</summary>
    private const long Framing = 64 * 1024;

    public static async Task<IResult> ReceiveAsync(HttpContext http, Guid taskId, string? field, Caller caller, TaskAttachments attachments,
        AttachmentStore store, CancellationToken ct)
    {
        if (await attachments.MayAttachAsync(taskId, caller.Id, ct) is { } refused) return Problems.From(refused);
        var accept = await attachments.AcceptAsync(taskId, field, ct);
        if (!accept.IsSuccess) return Problems.Field("field", accept.Error!.Code, accept.Error.Detail);
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return FileRequired();

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = store.MaxBytes + Framing;
        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = store.MaxBytes + 1 };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FilePart, StringComparison.Ordinal))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                var stored = await attachments.AttachAsync(taskId, caller.Id, name, section.Body, accept.Value.Extensions, ct);
                if (stored.IsSuccess)
                    return Results.Created($"/api/applications/{stored.Value.InstanceId}/attachments/{stored.Value.Id}", AttachmentView.From(stored.Value));
                return stored.Error!.Kind == WorkflowErrorKind.Invalid ? Problems.Field(FilePart, stored.Error.Code, stored.Error.Detail) : Problems.From(stored.Error);
            }
        }
        catch (InvalidDataException)
        {
            return Problems.Field(FilePart, "upload_malformed", "上传内容不是有效的 multipart/form-data 请求。");
        }

        return FileRequired();
    }

    /// <summary>The stored file, with the type its bytes were found to be and a sandbox around it.</summary>
    public static IResult Download(HttpContext http, AttachmentRecord attachment, AttachmentStore files)
    {
        var (contentType, inline) = AttachmentTypes.Serving(attachment.FileName, attachment.ContentType);
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(attachment.FileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        // Whatever a browser makes of the file, no script of it runs on the platform's origin.
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return Results.File(files.OpenRead(attachment.Sha256), contentType);
    }

    private static IResult FileRequired() => Problems.Field(FilePart, "file_required", "请选择要上传的文件（multipart/form-data，字段名 file）。");
}
