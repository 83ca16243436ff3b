using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Bound from the <c>Attachments</c> section.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>Where the files live, one per SHA-256 (identical uploads are stored once).</summary>
    public string Path { get; set; } = "data/attachments";

    public long MaxBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// Stamped scans, images and office documents (001 第八条 for the office formats). Each must be one whose content
    /// <see cref="AttachmentTypes"/> can check.
    /// </summary>
    public string[] AllowedExtensions { get; set; } =
        [".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx",
            ".txt", ".csv", ".xml", ".html", ".zip"];
}

internal sealed class AttachmentOptionsValidator : IValidateOptions<AttachmentOptions>
{
    public ValidateOptionsResult Validate(string? name, AttachmentOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBytes <= 0) failures.Add("Attachments:MaxBytes must be positive.");
        foreach (var extension in options.AllowedExtensions.Where(e => !AttachmentTypes.KnownExtensions.Contains(e, StringComparer.OrdinalIgnoreCase)))
            failures.Add($"Attachments:AllowedExtensions: '{extension}' cannot be checked by its content; known: {string.Join(" ", AttachmentTypes.KnownExtensions)}.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Content-addressed file storage: a file is written to a temporary name while it is hashed, its bytes are checked
/// against its extension (<see cref="AttachmentTypes"/>), then it is moved to its hash, so a reader never sees half a
/// file, a refused upload leaves nothing, and a crash leaves at most a temporary file behind.
/// </summary>
public sealed class AttachmentStore(IOptions<AttachmentOptions> options)
{
    /// <param name="Created">True when this upload put the file in place (no identical file was stored before).</param>
    public sealed record Stored(string Sha256, long Size, string ContentType, bool Created);

    /// <summary>
    /// Stores <paramref name="content"/> as <paramref name="fileName"/> when its extension is allowed here and in
    /// <paramref name="accept"/> (a form field's lower-case extensions without the dot; null: any allowed), it is not
    /// too large or empty, and its bytes are what the extension says. A refusal names the file and stores nothing.
    /// </summary>
    public async Task<WorkflowResult<Stored>> SaveAsync(Stream content, string fileName, IReadOnlyCollection<string>? accept,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var extension = System.IO.Path.GetExtension(fileName ?? "");
        if (!IsAllowed(fileName ?? "") || (accept is not null && !accept.Contains(extension.TrimStart('.').ToLowerInvariant())))
            return Refuse("file_type_not_allowed", accept is null
                ? $"不支持上传“{extension}”类型的文件。"
                : $"该项只接受 {string.Join("、", accept)} 类型的文件，不能上传“{extension}”文件。");
        var root = options.Value.Path;
        Directory.CreateDirectory(root);
        var temporary = System.IO.Path.Combine(root, $".upload-{Guid.NewGuid():N}");
        try
        {
            long size;
            byte[] hash;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > options.Value.MaxBytes) return Refuse("file_too_large", $"文件超过 {MaxBytes / 1024 / 1024} MB 的上限。");
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                hash = sha.GetHashAndReset();
            }

            if (size == 0) return Refuse("file_empty", "文件为空，请重新选择。");
            if (!AttachmentTypes.Agree(fileName!, AttachmentTypes.Detect(temporary)))
                return Refuse("file_content_mismatch", $"文件内容与扩展名“{extension}”不符（例如改了扩展名的文件），请上传真实的{extension.TrimStart('.')}文件。");

            var digest = Convert.ToHexStringLower(hash);
            var target = PathOf(digest);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            var created = false;
            try
            {
                File.Move(temporary, target, overwrite: false);
                created = true;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Stored before (identical content): the temporary copy goes below.
            }

            return new Stored(digest, size, AttachmentTypes.ContentTypeOf(fileName!), created);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Removes a file this upload created, when the record that was to name it was refused.</summary>
    public void Discard(Stored stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Created && File.Exists(PathOf(stored.Sha256))) File.Delete(PathOf(stored.Sha256));
    }

    public Stream OpenRead(string sha256) => File.OpenRead(PathOf(sha256));

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    public bool IsAllowed(string fileName) =>
        options.Value.AllowedExtensions.Contains(System.IO.Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase);

    public long MaxBytes => options.Value.MaxBytes;

    private static WorkflowError Refuse(string code, string detail) => new(WorkflowErrorKind.Invalid, code, "文件未通过检查", detail);

    private string PathOf(string sha256) =>
        System.IO.Path.Combine(options.Value.Path, sha256[..2], sha256);
}
