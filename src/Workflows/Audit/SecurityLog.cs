using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Audit;

/// <summary>
/// One row of the security audit log (<c>wf_security_log</c>, GB/T 22239-2019 8.1.4.3 安全审计): who did what to which
/// object, from where, when, and how it ended. Rows are only ever added (<see cref="SecurityLog"/>) and read; the context
/// refuses to update or delete one (<see cref="WorkflowDbContext"/>), and the archiver never touches the table.
/// </summary>
public sealed class SecurityEventRecord
{
    /// <summary>The log's explicit order: assigned by the database on insert, strictly increasing, never reused.</summary>
    public long Sequence { get; set; }

    /// <summary>
    /// The row's identity before the database numbers it: the tamper evidence attests a row as it is saved, before its
    /// <see cref="Sequence"/> exists (stream <c>security</c>, <see cref="Integrity.EngineRecordKinds.SecurityLog"/>).
    /// </summary>
    public Guid RecordId { get; set; }

    public DateTime At { get; set; }

    /// <summary>A <see cref="SecurityEventKinds"/> code.</summary>
    public required string Kind { get; set; }

    /// <summary>A <see cref="SecurityResults"/> code.</summary>
    public required string Result { get; set; }

    /// <summary>The signed-in user, the name typed at a failed sign-in, or <c>system:…</c> for the platform's own jobs.</summary>
    public string? Actor { get; set; }

    /// <summary>The client's address as the Host saw it (after the configured forwarded-header handling).</summary>
    public string? SourceAddress { get; set; }

    /// <summary>What the action was on: <c>user:gaj.admin</c>, <c>definition:p4-subscription</c>, <c>export:statistics</c>…</summary>
    public string? Object { get; set; }

    /// <summary>A short factual note (a reason code, the roles set, the file name); never a password or a secret.</summary>
    public string? Detail { get; set; }
}

/// <summary>Outcomes of an audited action.</summary>
public static class SecurityResults
{
    public const string Success = "success";

    /// <summary>Attempted and failed (a wrong password, a wrong code).</summary>
    public const string Failure = "failure";

    /// <summary>Refused by a rule before anything changed (a conflicting duty, not allowed).</summary>
    public const string Refused = "refused";

    public static IReadOnlyDictionary<string, string> DisplayNames { get; } = new Dictionary<string, string>
    {
        [Success] = "成功", [Failure] = "失败", [Refused] = "拒绝",
    };
}

/// <summary>What happened, as stable codes; <see cref="DisplayNames"/> gives the auditor's wording.</summary>
public static class SecurityEventKinds
{
    public const string SignIn = "sign_in";
    public const string Lockout = "lockout";
    public const string Unlock = "unlock";
    public const string SignOut = "sign_out";
    public const string SessionRevoked = "session_revoked";
    public const string PasswordChanged = "password_changed";
    public const string PasswordReset = "password_reset";
    public const string SecondFactorEnrolled = "second_factor_enrolled";
    public const string SecondFactorReset = "second_factor_reset";
    public const string UserCreated = "user_created";
    public const string UserUpdated = "user_updated";
    public const string RolesChanged = "roles_changed";
    public const string UserEnabled = "user_enabled";
    public const string UserDisabled = "user_disabled";
    public const string UnitCreated = "unit_created";
    public const string UnitUpdated = "unit_updated";
    public const string SecretRotated = "secret_rotated";
    public const string DefinitionPublished = "definition_published";
    public const string DefinitionRetracted = "definition_retracted";
    public const string InstancesMigrated = "instances_migrated";
    public const string CalendarNoticeUploaded = "calendar_notice_uploaded";
    public const string OutboxRetried = "outbox_retried";
    public const string Export = "export";
    public const string ArchiveRun = "archive_run";
    public const string AccessDenied = "access_denied";

    public static IReadOnlyDictionary<string, string> DisplayNames { get; } = new Dictionary<string, string>
    {
        [SignIn] = "登录",
        [Lockout] = "账号锁定",
        [Unlock] = "账号解锁",
        [SignOut] = "退出登录",
        [SessionRevoked] = "会话作废",
        [PasswordChanged] = "修改密码",
        [PasswordReset] = "重置密码",
        [SecondFactorEnrolled] = "绑定动态口令",
        [SecondFactorReset] = "重置动态口令",
        [UserCreated] = "新建用户",
        [UserUpdated] = "修改用户",
        [RolesChanged] = "角色变更",
        [UserEnabled] = "启用用户",
        [UserDisabled] = "停用用户",
        [UnitCreated] = "新建单位",
        [UnitUpdated] = "修改单位",
        [SecretRotated] = "更换应用密钥",
        [DefinitionPublished] = "发布流程定义",
        [DefinitionRetracted] = "撤回流程定义",
        [InstancesMigrated] = "迁移流程实例",
        [CalendarNoticeUploaded] = "上传节假日通知",
        [OutboxRetried] = "重试投递消息",
        [Export] = "导出数据",
        [ArchiveRun] = "日志归档",
        [AccessDenied] = "越权访问",
    };
}

/// <summary>The facts of one event, as the caller knows them; the log adds the time and the sequence.</summary>
public sealed record SecurityEvent(string Kind, string Result, string? Actor, string? SourceAddress, string? Object, string? Detail = null);

/// <summary>
/// The one writer of the security audit log. <see cref="Add"/> puts the row into the caller's unit of work, so that it
/// commits with the state change it records (or not at all); <see cref="WriteAsync"/> commits it on its own, for events
/// that change nothing else (a failed sign-in, a refusal, an export). Nothing in the product updates or deletes a row.
/// </summary>
public sealed class SecurityLog(WorkflowStore store, TimeProvider clock)
{
    public const int MaxActor = 100;
    public const int MaxSource = 64;
    public const int MaxObject = 200;
    public const int MaxDetail = 1000;

    public SecurityEventRecord Add(WorkflowDbContext db, SecurityEvent e)
    {
        ArgumentNullException.ThrowIfNull(db);
        var record = Record(e);
        db.SecurityLog.Add(record);
        return record;
    }

    public async Task<SecurityEventRecord> WriteAsync(SecurityEvent e, CancellationToken cancellationToken)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var record = Add(db, e);
        // A refused request may have been cancelled by its client: the refusal is still recorded.
        await db.SaveChangesAsync(CancellationToken.None);
        return record;
    }

    private SecurityEventRecord Record(SecurityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new SecurityEventRecord
        {
            RecordId = Guid.NewGuid(),
            At = clock.GetUtcNow().UtcDateTime,
            Kind = e.Kind,
            Result = e.Result,
            Actor = Cut(e.Actor, MaxActor),
            SourceAddress = Cut(e.SourceAddress, MaxSource),
            Object = Cut(e.Object, MaxObject),
            Detail = Cut(e.Detail, MaxDetail),
        };
    }

    /// <summary>Attacker-typed text (a user name at sign-in) is cut to the column, never refused: the attempt is what matters.</summary>
    private static string? Cut(string? value, int length)
    {
        if (value is null) return null;
        var text = value.Length <= length ? value : value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];
        // A lone surrogate cannot be stored as UTF-8 (PostgreSQL refuses it): keep the attempt, replace the bad character.
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var paired = char.IsHighSurrogate(chars[i]) ? i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])
                : !char.IsLowSurrogate(chars[i]) || (i > 0 && char.IsHighSurrogate(chars[i - 1]));
            if (!paired) chars[i] = '\uFFFD';
            else if (char.IsHighSurrogate(chars[i])) i++;
        }

        return new string(chars);
    }
}
