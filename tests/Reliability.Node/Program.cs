using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Reliability.Node;
using PdsWorkflow.Workflows.Persistence;

// The crash test's child process: dotnet PdsWorkflow.Reliability.Node.dll --Database:Provider=… --Database:ConnectionString=…
//   --Peer:Url=http://127.0.0.1:…/ --Batch:Count=40 [--Batch:UntilDone=true]
// Runs the batch until killed; with UntilDone it exits 0 once every instance waits at the final step and the outbox is empty.
var settings = args.Select(a => a.TrimStart('-').Split('=', 2)).Where(p => p.Length == 2)
    .Select(p => new KeyValuePair<string, string?>(p[0], p[1])).ToList();
string? Setting(string key) => settings.LastOrDefault(s => s.Key == key).Value;
var count = int.Parse(Setting("Batch:Count") ?? "40", System.Globalization.CultureInfo.InvariantCulture);
var untilDone = string.Equals(Setting("Batch:UntilDone"), "true", StringComparison.OrdinalIgnoreCase);

using var host = NodeHost.Build(settings);
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
await host.Services.GetRequiredService<WorkflowStore>().MigrateAsync(stop.Token);
await host.StartAsync(stop.Token);
await CrashBatch.PublishAsync(host.Services, stop.Token);
// WORKING: the first missing instance has started (or none was missing); the crash test kills from then on.
await CrashBatch.StartMissingAsync(host.Services, count, () => Console.WriteLine("WORKING"), stop.Token);
Console.WriteLine("STARTED");
while (!stop.IsCancellationRequested)
{
    if (untilDone && await CrashBatch.IsDoneAsync(host.Services, count, stop.Token))
    {
        Console.WriteLine("DONE");
        await host.StopAsync(CancellationToken.None);
        return 0;
    }

    await Task.Delay(200, stop.Token);
}

return 1;
