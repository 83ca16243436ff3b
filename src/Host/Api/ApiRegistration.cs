using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;

public static class ApiRegistration
{
    /// <summary>The API's services: the scope rule, the tracking view, enums as camelCase strings, and the OpenAPI document.</summary>
    public static IServiceCollection AddPdsApi(this IServiceCollection services)
    {
        services.AddSingleton<CaseAccess>();
        services.AddSingleton<ApplicationTracker>();
        services.AddSingleton<FormVisibility>();
        services.AddSingleton<CaseProgress>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        // The document's servers name the configured public address, never the request's Host header (which a client sets).
        services.AddOpenApi(o => o.AddDocumentTransformer((document, context, _) =>
        {
            var address = context.ApplicationServices.GetRequiredService<IOptions<Security.HttpOptions>>().Value.PublicBaseAddress;
            document.Servers = address.Length == 0 ? [] : [new OpenApiServer { Url = address.TrimEnd('/') }];
            return Task.CompletedTask;
        }));
        services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails += ProblemDefaults.Apply);
        services.AddOptions<ExceptionHandlerOptions>().Configure<WorkflowStore>((o, store) => o.StatusCodeSelector = ex => ProblemDefaults.StatusOf(ex, store.Dialect));
        return services;
    }

    /// <summary>
    /// Every area of the API under <c>/api</c>, one line each, and the OpenAPI document. (Not the interface gateway under
    /// <c>/gateway</c>, which departments' systems call: <see cref="Gateway.GatewayEndpoints.MapInterfaceGateway"/>.)
    /// </summary>
    public static IEndpointRouteBuilder MapPdsApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().RequireAuthorization();
        app.MapAuthEndpoints();
        app.MapMeEndpoints();
        app.MapAdminEndpoints();
        app.MapSecurityAdminEndpoints();
        app.MapSecurityLogEndpoints();
        app.MapApplicationEndpoints();
        app.MapTaskEndpoints();
        app.MapDirectoryEndpoints();
        app.MapCatalogEndpoints();
        app.MapEngineEndpoints();
        app.MapDesignerEndpoints();
        app.MapCalendarEndpoints();
        app.MapOutboxEndpoints();
        app.MapAuditEndpoints();
        app.MapProvincialEndpoints();
        app.MapNotificationEndpoints();
        app.MapStatisticsEndpoints();
        app.MapExchangeEndpoints();
        app.MapInterfaceEndpoints();
        return app;
    }
}
