using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Host.Security;

/// <summary>
/// What an assessor checks on every HTTP answer (GB/T 22239-2019 8.1.4.4 入侵防范; docs/security.md "HTTP hardening"):
/// forwarded headers believed only from configured proxies, the security headers on every response (errors included),
/// HSTS over HTTPS, Secure cookies, no Server banner, and Brotli/gzip for the web UI's files.
/// </summary>
public static class HttpHardening
{
    /// <summary>
    /// No inline script anywhere (the built UI has none: Vite emits module files); styles may be inline because antd
    /// writes its CSS-in-JS into &lt;style&gt; elements at run time and the flow designer positions nodes with style
    /// attributes (docs/security.md). No frame may embed the platform.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddHttpHardening(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HttpOptions>().Bind(builder.Configuration.GetSection(HttpOptions.Section)).ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().Bind(builder.Configuration.GetSection(ForwardedHeadersSettings.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ForwardedHeadersSettings>, HttpOptionsValidator>());

        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            // The framework trusts loopback by default, and empty lists mean "any proxy": only what the configuration
            // names is trusted here, and with nothing named no forwarded header is read at all. A bad entry stops the
            // Host (HttpOptionsValidator).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
                if (IPAddress.TryParse(proxy, out var address)) o.KnownProxies.Add(address);
            foreach (var network in settings.Value.KnownNetworks)
                if (System.Net.IPNetwork.TryParse(network, out var parsed)) o.KnownIPNetworks.Add(parsed);
            o.ForwardedHeaders = o.KnownProxies.Count + o.KnownIPNetworks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<IOptions<HttpOptions>>((cookie, http) => cookie.Cookie.SecurePolicy = SecurePolicy(http.Value));
        services.AddOptions<AntiforgeryOptions>()
            .PostConfigure<IOptions<HttpOptions>>((antiforgery, http) => antiforgery.Cookie.SecurePolicy = SecurePolicy(http.Value));

        services.AddResponseCompression(o =>
        {
            // Only the web UI's files go through it (UseWebUi): they hold no secret, so compressing them over HTTPS is safe
            // (BREACH needs a secret and attacker-chosen text in the same compressed answer, which API answers could have).
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        return builder;
    }

    /// <summary>First in the pipeline: the client's real address and scheme, then the headers, then HTTPS only.</summary>
    public static WebApplication UseHttpHardening(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var options = app.Services.GetRequiredService<IOptions<HttpOptions>>();
        app.Use(async (context, next) =>
        {
            // Read here, not when the pipeline is built: a bad setting is reported with the others at start-up.
            var http = options.Value;
            var response = context.Response;
            var https = context.Request.IsHttps;
            // Set when the answer starts, so that error answers (the exception handler clears the headers) carry them too.
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                // A download sets a stricter policy of its own (a sandbox); every other answer gets the platform's.
                if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.ContentSecurityPolicy)) headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                if (https && http.HstsMaxAge > TimeSpan.Zero)
                    headers.StrictTransportSecurity = $"max-age={(long)http.HstsMaxAge.TotalSeconds}";
                return Task.CompletedTask;
            });

            if (http.HttpsOnly && !https && !context.Request.Path.StartsWithSegments("/health"))
            {
                var request = context.Request;
                var origin = http.PublicBaseAddress.Length > 0 && new Uri(http.PublicBaseAddress) is { Scheme: "https" } configured
                    ? configured.GetLeftPart(UriPartial.Authority)
                    : $"https://{request.Host}";
                var target = $"{origin}{request.PathBase}{request.Path}{request.QueryString}";
                if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                {
                    response.StatusCode = StatusCodes.Status308PermanentRedirect;
                    response.Headers.Location = target;
                    return;
                }

                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "请使用 HTTPS 访问",
                    detail: "平台只接受 HTTPS 请求，请改用 https:// 地址。",
                    extensions: new Dictionary<string, object?> { ["code"] = "https_required" }).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static CookieSecurePolicy SecurePolicy(HttpOptions http) => http.HttpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
}
