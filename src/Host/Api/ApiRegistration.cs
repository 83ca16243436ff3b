using System.Text.Json;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Host.Api;

public static class ApiRegistration
{
    /// <summary>The API's services: the scope rule, the tracking view, enums as camelCase strings, and the OpenAPI document.</summary>
    public static IServiceCollection AddPdsApi(this IServiceCollection services)
    {
        services.AddSingleton<CaseAccess>();
        services.AddSingleton<ApplicationTracker>();
        services.AddSingleton<CaseProgress>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddOpenApi();
        services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails += ProblemDefaults.Apply);
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ProblemDefaults.StatusOf);
        return services;
    }

    /// <summary>Every API area, one line each.</summary>
    public static IEndpointRouteBuilder MapPdsApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapMeEndpoints();
        app.MapAdminEndpoints();
        app.MapApplicationEndpoints();
        app.MapTaskEndpoints();
        app.MapDirectoryEndpoints();
        app.MapCatalogEndpoints();
        return app;
    }
}
