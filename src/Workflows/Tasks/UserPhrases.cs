using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>常用语: the phrases a user picks an opinion from. A user who never saved a list gets the defaults.</summary>
public sealed class UserPhrases(WorkflowStore store)
{
    public const int MaxLength = 200;
    public const int MaxCount = 30;

    public static IReadOnlyList<string> Defaults { get; } =
    [
        "同意。",
        "同意，请按授权范围和用途使用数据。",
        "经审核，材料齐全，符合规定，同意。",
        "材料不全，请补充后重新提交。",
        "不同意：申请用途与共享条件不符。",
        "请补充申请依据（法律法规或政策文件）。",
    ];

    public async Task<IReadOnlyList<string>> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var own = await db.UserPhrases.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.Position).Select(p => p.Text).ToListAsync(cancellationToken);
        return own.Count > 0 ? own : Defaults;
    }

    /// <summary>Replaces the user's list (trimmed, without blanks and repeats); an empty list brings the defaults back.</summary>
    public async Task<WorkflowResult<IReadOnlyList<string>>> SaveAsync(string userId, IReadOnlyList<string> phrases, CancellationToken cancellationToken = default)
    {
        var cleaned = phrases.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (cleaned.Count > MaxCount) return Invalid($"常用语最多 {MaxCount} 条。");
        if (cleaned.FirstOrDefault(p => p.EnumerateRunes().Count() > MaxLength) is { } tooLong)
            return Invalid($"每条常用语不能超过 {MaxLength} 个字（“{string.Concat(tooLong.EnumerateRunes().Take(10).Select(r => r.ToString()))}…”）。");
        return await store.InTransactionAsync<IReadOnlyList<string>>(async (db, ct) =>
        {
            await db.UserPhrases.Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
            db.UserPhrases.AddRange(cleaned.Select((text, i) => new UserPhraseRecord { UserId = userId, Position = i, Text = text }));
            return cleaned.Count > 0 ? cleaned : Defaults.ToList();
        }, cancellationToken);
    }

    private static WorkflowError Invalid(string message) =>
        new(WorkflowErrorKind.Invalid, "invalid_phrases", "常用语有误", message) { Errors = [new DefinitionError("invalid_phrases", message, null, "phrases")] };
}
