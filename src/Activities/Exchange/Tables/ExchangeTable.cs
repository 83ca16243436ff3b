using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Activities.Exchange.Tables;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Exchange;

/// <summary>
/// Table exchange (P4/P5): from the table the provider mounted on the catalog entry, in the provider's front-end
/// database, into a receiving table the platform creates in the demand side's front-end database — or, across levels,
/// the county's — with only the requested information items as columns. Rows are copied in one transaction of the
/// receiving database (full refresh, or upsert by a key), with an order-independent SHA-256 checksum computed on both
/// sides; the run and its progress are recorded in <c>exc_runs</c>. A retry, of the attempt or of the whole step,
/// loads the same rows again: same rows, same checksum, no duplicates.
/// </summary>
[RetryPolicy(5, 60)]
public sealed partial class ExchangeTable
{
    public const string Full = "full";
    public const string Incremental = "incremental";

    [Input(DisplayName = "交换方式", Description = "full（全量刷新）或 incremental（按关键字段增量更新）", UIHint = UIHints.Dropdown,
        DefaultValue = Full, Options = [Full, Incremental])]
    public Input<string> Mode { get; set; } = default!;

    [Input(DisplayName = "关键字段", Description = "增量交换时据以更新或插入的数据项，须为申请的数据项之一")]
    public Input<string> KeyField { get; set; } = default!;

    [Output(DisplayName = "校验和")]
    public Output<string> Checksum { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var subscription = await ExchangeSubscription.ResolveAsync(context, context.Get(Subscription), context.Get(TargetLevel), CatalogMountKind.Table);
        var mode = (context.Get(Mode) ?? Full).Trim() switch
        {
            Full => TableExchangeMode.Full,
            Incremental => TableExchangeMode.Incremental,
            var other => throw new WorkflowFaultException($"交换方式“{other}”无效，应为 full 或 incremental。"),
        };
        var columns = RequestedColumns(subscription);
        var key = context.Get(KeyField)?.Trim() is { Length: > 0 } k ? k : null;
        if (mode == TableExchangeMode.Incremental && key is null) throw new WorkflowFaultException("增量交换须指定关键字段。");
        if (key is not null && columns.All(c => c.Name != key))
            throw new WorkflowFaultException($"关键字段“{key}”不在本次申请的数据项中。");

        var tables = context.Services.GetRequiredService<IFrontEndTables>();
        var settings = context.Services.GetRequiredService<IOptions<ExchangeOptions>>().Value;
        var recorder = context.Services.GetRequiredService<ExchangeRunRecorder>();
        var ct = context.CancellationToken;

        var mounted = new FrontEndTable(subscription.ProviderCode, subscription.Mount.Target);
        var found = await tables.FindAsync(mounted, ct)
            ?? throw new WorkflowFaultException($"提供部门“{subscription.Provider.Name}”的前置库中没有挂接的库表 {mounted.Schema}.{mounted.Name}。");
        var missing = columns.Where(c => !found.Columns.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new WorkflowFaultException($"提供部门前置库的挂接表 {mounted.Schema}.{found.Name} 缺少数据项列：{string.Join("、", missing)}。");
        var source = mounted with { Name = found.Name };
        var target = new FrontEndTable(subscription.TargetCode, ReceivingName(subscription));

        var run = subscription.StartRun(context, ExchangeKind.Table, mode == TableExchangeMode.Full ? Full : Incremental,
            $"{source.Schema}.{source.Name}", $"{target.Schema}.{target.Name}");
        try
        {
            run.RowsTotal = await tables.CountAsync(source, ct);
            await recorder.BeginAsync(run, ct);
            var sourceSum = new TableChecksum(columns);
            var written = await tables.LoadAsync(new TableLoad(target, columns, mode, key), Checked(tables.ReadAsync(source, columns, ct), columns, sourceSum, ct),
                settings.BatchSize, async done =>
                {
                    run.RowsDone = done;
                    run.UpdatedAt = context.Clock.GetUtcNow().UtcDateTime;
                    await recorder.ProgressAsync(run, ct);
                }, ct);

            var targetSum = new TableChecksum(columns);
            await foreach (var row in tables.ReadAsync(target, columns, ct)) targetSum.Add(row);
            run.SourceChecksum = sourceSum.Value();
            run.Checksum = targetSum.Value();
            var equal = run.SourceChecksum == run.Checksum && written == sourceSum.Rows;
            if (mode == TableExchangeMode.Full && !equal)
                throw new InvalidOperationException($"Checksum mismatch after a full load of {run.Target}: {sourceSum.Rows} rows {run.SourceChecksum} read, {targetSum.Rows} rows {run.Checksum} found.");

            run.RowsDone = written;
            run.Status = ExchangeRunStatus.Succeeded;
            run.FinishedAt = run.UpdatedAt = context.Clock.GetUtcNow().UtcDateTime;
            await recorder.FinishAsync(context, run, []);
            context.Set(Rows, written);
            context.Set(Checksum, run.Checksum);
            var side = subscription.IsCrossLevel ? $"（跨层级，区县前置库：{subscription.Target.Name}）" : "";
            var agreement = equal
                ? "两端一致"
                : $"接收表共 {targetSum.Rows} 行，校验和 {run.Checksum}，与提供方不同（接收表保留了提供方已不再提供的行）";
            context.AddJournalNote(
                $"库表交换（{(mode == TableExchangeMode.Full ? "全量刷新" : $"按“{key}”增量更新")}）：{subscription.Provider.Name} {tables.Describe(source)} → " +
                $"{subscription.Consumer.Name}{side} {tables.Describe(target)}；数据项 {columns.Count} 个（{string.Join("、", columns.Select(c => c.Name))}）；" +
                $"复制 {written} 行；提供方 SHA-256 校验和 {run.SourceChecksum}，{agreement}；交换记录 {run.Id}。");
            context.Complete(Done);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = Expected(ex, key, tables) ?? ex;
            run.Status = ExchangeRunStatus.Failed;
            run.Error = failure.Message;
            run.FinishedAt = run.UpdatedAt = context.Clock.GetUtcNow().UtcDateTime;
            await recorder.FinishAsync(context, run, []);
            if (ReferenceEquals(failure, ex)) throw;
            throw failure;
        }
    }

    /// <summary>The item names a subscription's 需求字段名称 lists (separated by 、，, ; or spaces; "无" for files).</summary>
    public static IReadOnlyList<string> RequestedFields(string? text) =>
        Separators().Split(text ?? "").Select(f => f.Trim()).Where(f => f.Length > 0 && f != "无").Distinct().ToList();

    /// <summary>The requested fields (需求字段名称) in the catalog's order; each must be an information item of the entry.</summary>
    private static List<ExchangeColumn> RequestedColumns(ExchangeSubscription subscription)
    {
        var requested = RequestedFields(ExchangeSubscription.Text(subscription.Form, "requestedFields"));
        if (requested.Count == 0) throw new WorkflowFaultException("库表订阅未填写需求字段名称，无法确定交换哪些数据项。");
        var items = subscription.Items.ToDictionary(i => i.Name.Trim(), StringComparer.Ordinal);
        var unknown = requested.Where(f => !items.ContainsKey(f)).ToList();
        if (unknown.Count > 0)
            throw new WorkflowFaultException($"申请的数据项不在信息资源“{subscription.ResourceName}”的目录信息项中：{string.Join("、", unknown)}。");
        var columns = new List<ExchangeColumn>();
        foreach (var item in subscription.Items.Where(i => requested.Contains(i.Name.Trim())))
        {
            columns.Add(ExchangeColumn.From(item)
                ?? throw new WorkflowFaultException($"数据项“{item.Name}”的数据类型“{item.Type}”不是目录规定的类型（C、N、Y、D、T、L、M、G、B、I、F）。"));
        }

        return columns;
    }

    /// <summary>
    /// <c>&lt;provider&gt;_&lt;mounted table&gt;</c> in lower case; across levels the county's store is shared, so prefixed with the
    /// demand department's code. Hashed down to PostgreSQL's 63 bytes when longer.
    /// </summary>
    internal static string ReceivingName(ExchangeSubscription subscription)
    {
        var name = ((subscription.IsCrossLevel ? subscription.ConsumerCode + "_" : "") + subscription.ProviderCode + "_" + subscription.Mount.Target).ToLowerInvariant();
        return Encoding.UTF8.GetByteCount(name) <= 63
            ? name
            : name[..40] + "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
    }

    /// <summary>Checks each value against the catalog and adds the row to the provider side's checksum as it streams past.</summary>
    private static async IAsyncEnumerable<object?[]> Checked(IAsyncEnumerable<object?[]> rows, IReadOnlyList<ExchangeColumn> columns, TableChecksum checksum,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Problem(row[i]) is { } problem) throw new WorkflowFaultException($"提供方数据不符合目录：{problem}。");
            }

            checksum.Add(row);
            yield return row;
        }
    }

    /// <summary>The provider's data, not the systems, is at fault: retrying would fail the same way.</summary>
    private static WorkflowFaultException? Expected(Exception ex, string? key, IFrontEndTables tables) => ex switch
    {
        WorkflowFaultException fault => fault,
        FormatException or InvalidCastException or OverflowException => new WorkflowFaultException($"提供方数据无法按目录规定的数据类型读取：{ex.Message}"),
        _ => tables.DataFaultOf(ex) switch
        {
            { DuplicateKey: true } => new WorkflowFaultException($"提供方数据中关键字段“{key}”有重复值，无法按关键字段交换。"),
            { } badValue => new WorkflowFaultException($"提供方数据无法按目录规定的数据类型读取：{badValue.Message}"),
            null => null,
        },
    };

    [GeneratedRegex(@"[、,，;；\s]+")]
    private static partial Regex Separators();
}
