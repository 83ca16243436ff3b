namespace PdsWorkflow.Host.Startup;

/// <summary>
/// Finds the product's folders (definitions, calendars) whether the Host runs from the repository root
/// (<c>dotnet run --project src/Host</c>), from its project folder, or from a published folder.
/// </summary>
public static class ProductPaths
{
    /// <summary>The folder holding <c>definitions/</c> (the repository root in a checkout); relative data paths start here.</summary>
    public static string Root => Path.GetDirectoryName(Resolve("definitions")) ?? Directory.GetCurrentDirectory();

    /// <summary>A relative data path (attachments, say) is placed under <see cref="Root"/>.</summary>
    public static string Anchor(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Root, path);

    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, path);
                if (Directory.Exists(candidate)) return candidate;
            }
        }

        return Path.GetFullPath(path);
    }
}
