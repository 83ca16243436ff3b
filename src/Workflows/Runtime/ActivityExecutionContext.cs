using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Expressions;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>
/// What one activity execution sees. Effects (variables, outputs, bookmarks, outbox messages) are buffered here and
/// applied only when the activity returns normally, so an execution that throws leaves nothing behind.
/// </summary>
public sealed class ActivityExecutionContext
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly WorkItem _item;
    private readonly List<string> _outcomes = [];

    internal ActivityExecutionContext(WorkflowExecution execution, ActivityNode node, ActivityDescriptor descriptor, WorkItem item, CancellationToken cancellationToken)
    {
        Execution = execution;
        Node = node;
        Descriptor = descriptor;
        _item = item;
        CancellationToken = cancellationToken;
        if (item.Bookmark is { } bookmark) ResumedBookmark = WorkflowExecution.ToInfo(bookmark);
    }

    internal WorkflowExecution Execution { get; }

    public Guid InstanceId => Execution.Instance.Id;
    public string DefinitionId => Execution.Instance.DefinitionId;
    public int DefinitionVersion => Execution.Instance.DefinitionVersion;
    public string? CorrelationId => Execution.Instance.CorrelationId;
    public string? Initiator => Execution.Instance.Initiator;
    public string ActivityId => Node.Id;
    public ActivityNode Node { get; }
    public ActivityDescriptor Descriptor { get; }
    public Guid ExecutionId => _item.ExecutionId;
    public int Attempt => _item.Attempt;

    /// <summary>Who caused this burst: the user who resumed a bookmark, the initiator, or a system actor.</summary>
    public string? Actor => Execution.Actor;

    /// <summary>The connection (<c>source:port</c>) this execution arrived by, if any.</summary>
    public string? Via => _item.Via;

    public BookmarkInfo? ResumedBookmark { get; }
    public JsonNode? ResumePayload => _item.Bookmark is null ? null : _item.Payload;
    public TimeProvider Clock => Execution.Engine.Clock;
    public IServiceProvider Services => Execution.Engine.Services;
    public CancellationToken CancellationToken { get; }

    internal Dictionary<string, JsonNode?> EvaluatedInputs { get; } = new(StringComparer.Ordinal);
    internal JsonObject Outputs { get; } = [];
    internal Dictionary<string, JsonNode?> VariableChanges { get; } = new(StringComparer.Ordinal);
    internal List<BookmarkRecord> NewBookmarks { get; } = [];
    internal List<OutboxRecord> NewMessages { get; } = [];
    internal List<string> Notes { get; } = [];
    internal List<object> NewEntities { get; } = [];
    internal List<object> ChangedEntities { get; } = [];
    internal bool IsCompleted { get; private set; }
    internal IReadOnlyList<string> CompletedOutcomes => _outcomes;

    public T GetRequiredService<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The input's value: its literal, its expression's result, or the declared default.</summary>
    public T? Get<T>(Input<T> input)
    {
        var raw = input.Value is null
            ? input.DefaultValue is null ? null : JsonSerializer.SerializeToNode(input.DefaultValue)
            : Evaluate(input.Value);
        EvaluatedInputs[input.Name] = raw?.DeepClone();
        return Convert<T>(raw);
    }

    /// <summary>Evaluates a literal or script value that is not a declared input (e.g. a switch case's condition).</summary>
    public JsonNode? Evaluate(InputValue value) =>
        value.Expression.IsJavaScript ? EvaluateScript(value.Expression.Value?.GetValue<string>() ?? "") : value.Expression.Value?.DeepClone();

    public JsonNode? EvaluateScript(string script) => Execution.Engine.Evaluator.Evaluate(script, Execution.CreateScope(this));

    public void Set<T>(Output<T> output, T? value) => Outputs[output.Name] = JsonSerializer.SerializeToNode(value, Json);

    public JsonNode? GetVariable(string name) =>
        VariableChanges.TryGetValue(name, out var changed) ? changed : Execution.State.Variables[name]?.DeepClone();

    public void SetVariable(string name, JsonNode? value) => VariableChanges[name] = value?.DeepClone();

    /// <summary>Completes the execution; the flowchart continues along each named outcome's connections.</summary>
    public void Complete(params string[] outcomes)
    {
        if (IsCompleted) throw new InvalidOperationException($"Activity '{ActivityId}' completed twice.");
        IsCompleted = true;
        _outcomes.AddRange(outcomes);
    }

    /// <summary>Suspends this branch until the bookmark is resumed (by a user, an event, a timer or a child instance).</summary>
    public Guid CreateBookmark(string name, string? correlationKey = null, JsonNode? payload = null, DateTimeOffset? dueAt = null)
    {
        var bookmark = new BookmarkRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = InstanceId,
            ActivityId = ActivityId,
            ActivityExecutionId = ExecutionId,
            Name = name,
            CorrelationKey = correlationKey,
            PayloadJson = payload?.ToJsonString(JsonDefaults.Stored),
            DueAt = dueAt?.UtcDateTime,
            Attempt = Attempt,
            Status = BookmarkStatus.Open,
            CreatedAt = Execution.Now,
        };
        NewBookmarks.Add(bookmark);
        return bookmark.Id;
    }

    /// <summary>
    /// Queues a message for another system in the same transaction as this burst. The key makes it idempotent: the
    /// default key is stable for this execution, so a re-run of the same execution does not send it twice.
    /// </summary>
    public void EnqueueMessage(string type, JsonNode payload, string? key = null)
    {
        var now = Execution.Now;
        NewMessages.Add(new OutboxRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = InstanceId,
            Type = type,
            Key = key ?? $"{ExecutionId:N}:{type}:{NewMessages.Count(m => m.Type == type).ToString(CultureInfo.InvariantCulture)}",
            PayloadJson = payload.ToJsonString(JsonDefaults.Stored),
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }

    /// <summary>Adds a line to the journal (e.g. "overdue"), after this execution's own entry.</summary>
    public void AddJournalNote(string message) => Notes.Add(message);

    /// <summary>Adds a row (e.g. a human task) to the burst's unit of work when this execution returns normally.</summary>
    public void AddEntity(object entity) => NewEntities.Add(entity);

    /// <summary>
    /// Saves changes to a row read through <see cref="Db"/> with <c>AsNoTracking</c> (a user's new password hash, say)
    /// with the burst when this execution returns normally; an execution that throws changes nothing.
    /// </summary>
    public void UpdateEntity(object entity) => ChangedEntities.Add(entity);

    /// <summary>The unit of work of this burst, for reads; writes go through <see cref="AddEntity"/> and <see cref="UpdateEntity"/>.</summary>
    public WorkflowDbContext Db => Execution.Db;

    /// <summary>Module data kept with the instance (see <see cref="WorkflowState.Data"/>).</summary>
    public JsonObject InstanceData => Execution.State.Data;

    /// <summary>What the engine passed to a fresh execution, e.g. why a step is being redone after a return.</summary>
    public JsonNode? ScheduledWith => _item.Bookmark is null ? _item.Payload : null;

    internal static T? Convert<T>(JsonNode? raw)
    {
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (raw is null) return default;
        if (typeof(T) == typeof(JsonNode)) return (T)(object)raw;
        if (target == typeof(bool)) return (T)(object)IsTruthy(raw);
        if (target == typeof(string))
            return (T)(object)(raw is JsonValue v && v.TryGetValue<string>(out var s) ? s : raw.ToJsonString());
        return raw.Deserialize<T>(Json);
    }

    /// <summary>
    /// Whether a condition's value counts as true, so that a condition may return any value: JavaScript's truthiness
    /// (false, 0, NaN and "" are false; other numbers and text, objects and arrays true), except that the text "false"
    /// is false too, so that a boolean Literal stored as text reads as written.
    /// </summary>
    private static bool IsTruthy(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0 && s != "false",
        _ => true,
    };
}
