using PdsWorkflow.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- [calendar]
var root = RepositoryRoot();
var which = args.Length == 0 ? ["calendar"] : args;
Console.WriteLine($"PdsWorkflow benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
foreach (var name in which)
{
    switch (name)
    {
        case "calendar":
            CalendarBenchmark.Run(root);
            break;
        default:
            Console.Error.WriteLine($"unknown benchmark '{name}'; known: calendar");
            return 2;
    }
}

return 0;

static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "PdsWorkflow.sln"))) return folder.FullName;
    return Directory.GetCurrentDirectory();
}
