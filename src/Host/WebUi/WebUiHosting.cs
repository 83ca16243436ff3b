using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using PdsWorkflow.Host.Api;

namespace PdsWorkflow.Host.WebUi;

/// <summary>
/// Serves the web UI built from ClientApp (wwwroot/app, built by the Host's build): its files, and index.html for every
/// other path that is not the API's, so that a deep link such as /tasks/… opens the single-page application.
/// </summary>
public static class WebUiHosting
{
    public const string Folder = "wwwroot/app";

    private static readonly string[] ServerPaths = ["/api", "/health", "/openapi", "/gateway"];

    public static WebApplication UseWebUi(this WebApplication app)
    {
        var folder = Locate(app.Environment.ContentRootPath, AppContext.BaseDirectory);
        if (folder is null)
        {
            app.Logger.LogWarning("The web UI is not built ({Folder} has no index.html): build the Host with Node.js installed.", Folder);
        }

        var files = folder is null ? null : new PhysicalFileProvider(folder);
        // Brotli or gzip for the UI's files and index.html, never for the API's answers (docs/security.md).
        app.UseWhen(context => !ServerPaths.Any(p => context.Request.Path.StartsWithSegments(p)), ui => ui.UseResponseCompression());
        if (files is not null)
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // Vite names assets by content hash; index.html is served by the fallback and never cached.
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = context.File.Name.EndsWith(".html", StringComparison.Ordinal)
                    ? "no-cache" : "public, max-age=31536000, immutable",
            });
        }

        app.MapFallback(async context =>
        {
            if (ServerPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
            {
                await Problems.NotFound("endpoint_not_found", $"接口 {context.Request.Path} 不存在。").ExecuteAsync(context);
                return;
            }

            if (files?.GetFileInfo("index.html") is not { Exists: true } index)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("网页界面尚未构建：请在安装 Node.js 后重新构建（dotnet build src/Host）。", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            await context.Response.SendFileAsync(index, context.RequestAborted);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The content root's copy (dotnet run from the project) or the build output's (published, or run from bin).</summary>
    internal static string? Locate(params string[] roots) => roots
        .Select(root => Path.Combine(root, Folder))
        .FirstOrDefault(path => File.Exists(Path.Combine(path, "index.html")));
}
