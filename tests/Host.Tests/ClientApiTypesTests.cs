using System.Diagnostics;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The web UI's API types (src/Host/ClientApp/src/api/openapi.ts) are what openapi-typescript makes of the live OpenAPI
/// document: a server change that the committed file does not follow fails here, and one that the UI does not follow then
/// fails tsc in the Host's build. <c>PDS_UPDATE_API_TYPES=1</c> rewrites the file instead of comparing. Needs Node.js and the
/// UI's packages (the Host's build installs them): without them the test is ignored locally and fails on CI.
/// </summary>
public sealed class ClientApiTypesTests
{
    private const string Password = "Pds@2026-types";

    private static string ClientApp => Path.Combine(ShippedData.RepositoryRoot, "src", "Host", "ClientApp");

    public static string TypesFile => Path.Combine(ClientApp, "src", "api", "openapi.ts");

    [Test]
    public async Task The_committed_client_types_are_generated_from_the_live_OpenAPI_document()
    {
        var generator = Path.Combine(ClientApp, "scripts", "api-types.mjs");
        var node = Node();
        if (node is null || !File.Exists(Path.Combine(ClientApp, "node_modules", "openapi-typescript", "package.json")))
        {
            const string message = "Node.js or the web UI's packages are missing (the Host's build installs them with npm ci).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Ignore(message);
        }

        await using var factory = new HostFactory();
        await TestAccounts.SeedAsync(factory, Password, ("types.reader", "gaj", "data_contact"));
        using var client = await factory.SignedInAsync("types.reader", Password);
        var folder = Directory.CreateTempSubdirectory("pdsworkflow-api-types-").FullName;
        try
        {
            var document = Path.Combine(folder, "v1.json");
            var generated = Path.Combine(folder, "openapi.ts");
            await File.WriteAllTextAsync(document, await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

            var (exitCode, output) = await RunAsync(node, generator, document, generated);
            Assert.That(exitCode, Is.Zero, output);

            if (Environment.GetEnvironmentVariable("PDS_UPDATE_API_TYPES") == "1")
            {
                File.Copy(generated, TypesFile, overwrite: true);
                Assert.Warn($"{TypesFile} rewritten from the live document.");
            }

            Assert.That(await File.ReadAllTextAsync(TypesFile), Is.EqualTo(await File.ReadAllTextAsync(generated)),
                "src/Host/ClientApp/src/api/openapi.ts is not what the live OpenAPI document gives: rewrite it with " +
                "PDS_UPDATE_API_TYPES=1 dotnet test tests/Host.Tests --filter ClientApiTypesTests, then fix what tsc finds in the UI");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? Node() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "node")).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = ClientApp, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
