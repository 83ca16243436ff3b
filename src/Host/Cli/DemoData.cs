using PdsWorkflow.Activities.Demo;

namespace PdsWorkflow.Host.Cli;

/// <summary>The <c>seed-demo</c> verb: runs the demo steps and prints, step by step, what each created.</summary>
internal static class DemoData
{
    public static async Task<int> SeedAsync(DemoSeeder seeder)
    {
        IReadOnlyList<DemoSeedStepResult> results;
        try
        {
            results = await seeder.SeedAsync(CancellationToken.None);
        }
        catch (InvalidDataException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }

        foreach (var result in results)
        {
            Console.WriteLine(result.Created.Count == 0
                ? $"{result.Step}：没有新建，已有的 {result.LeftAsTheyWere} 项保持不变"
                : $"{result.Step}：新建 {Counts(result.Created)}，已有的 {result.LeftAsTheyWere} 项保持不变");
            foreach (var item in result.Created) Console.WriteLine($"  + {item.Kind} {item.Id} {item.Name}");
        }

        if (results.Any(r => r.Created.Any(i => i.Kind == OrganizationSeedStep.UserItem)))
            Console.WriteLine($"演示用户的密码 (demo password): {DemoSeeder.Password}");
        return 0;
    }

    private static string Counts(IEnumerable<DemoSeedItem> items) =>
        string.Join("、", items.GroupBy(i => i.Kind).Select(g => $"{g.Count()} 个{g.Key}"));
}
