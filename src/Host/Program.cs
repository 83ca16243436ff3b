using PdsWorkflow.Host;
using PdsWorkflow.Host.Api;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Host.Cli;
using PdsWorkflow.Host.Gateway;
using PdsWorkflow.Host.Security;
using PdsWorkflow.Host.Startup;
using PdsWorkflow.Host.WebUi;

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = StartupChecks.ContentRoot(args) });
builder.AddPdsWorkflowWeb();

var app = builder.Build();
if (!StartupChecks.SettingsAreValid(app.Services, Console.Error)) return 1;
await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);

app.UseHttpHardening();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseApiCaller();
app.UseAuthorization();
app.UseCsrfProtection();
app.UseJsonTextGuard();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapPdsApi();
app.MapInterfaceGateway();
app.UseWebUi();

await app.RunAsync();
return 0;

/// <summary>Visible to the Host's integration tests (WebApplicationFactory).</summary>
public partial class Program;
