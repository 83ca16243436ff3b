using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Bound from the <c>Attachments</c> section.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>Where the files live, one per SHA-256 (identical uploads are stored once).</summary>
    public string Path { get; set; } = "data/attachments";

    public long MaxBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Stamped scans and office documents (001 第八条 for the office formats).</summary>
    public string[] AllowedExtensions { get; set; } =
        [".pdf", ".jpg", ".jpeg", ".png", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".txt", ".csv", ".xml", ".html", ".zip"];
}

/// <summary>
/// Content-addressed file storage: a file is written to a temporary name while it is hashed, then moved to its hash,
/// so a reader never sees half a file and a crash leaves at most a temporary file behind.
/// </summary>
public sealed class AttachmentStore(IOptions<AttachmentOptions> options)
{
    public sealed record Stored(string Sha256, long Size);

    public async Task<Stored?> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
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
                    if (size > options.Value.MaxBytes) return null;
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                hash = sha.GetHashAndReset();
            }

            var digest = Convert.ToHexStringLower(hash);
            var target = PathOf(digest);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            if (!File.Exists(target)) File.Move(temporary, target, overwrite: true);
            return new Stored(digest, size);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public Stream OpenRead(string sha256) => File.OpenRead(PathOf(sha256));

    public bool IsAllowed(string fileName) =>
        options.Value.AllowedExtensions.Contains(System.IO.Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase);

    public long MaxBytes => options.Value.MaxBytes;

    private string PathOf(string sha256) =>
        System.IO.Path.Combine(options.Value.Path, sha256[..2], sha256);
}
