using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>People by the names the pages show (issue #18: people by name, never by sign-in name).</summary>
public static class PeopleNames
{
    /// <summary>Actors that are not people, by the name the pages show.</summary>
    public static readonly IReadOnlyDictionary<string, string> SystemActors = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["system"] = "系统", [WorkflowRuntime.TimerActor] = "系统（定时）", [DefinitionImporter.Actor] = "系统（导入）",
        [DeadlineRecalculator.Actor] = "系统（节假日调整）", [AuditArchiver.JobActor] = "系统（归档）",
    };

    /// <summary>A system actor's name: a known one by its own name, any other <c>system:…</c> as 系统.</summary>
    public static string? SystemActor(string id) =>
        SystemActors.GetValueOrDefault(id) ?? (id.StartsWith("system:", StringComparison.Ordinal) ? "系统" : null);

    /// <summary>
    /// The display name of each id: a user's name, a system actor's name, or the id itself when it names nobody known
    /// (a user since removed keeps the id the record holds).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> OfAsync(WorkflowDbContext db, IEnumerable<string?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var users = await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return wanted.ToDictionary(id => id, id => users.GetValueOrDefault(id) ?? SystemActor(id) ?? id, StringComparer.Ordinal);
    }
}
