using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// What the platform decides for a case from its own records (who provides a resource, how it is shared, the
/// applicant's unit and level…), never from what the applicant sends. A module registers one source per concern with
/// <see cref="FormsServiceCollectionExtensions.AddRecordedFacts{T}"/>; the engine asks every source that handles the
/// case's definition whenever the applicant's form is checked (creating the case, saving the draft, submitting) and
/// takes the answer over the client's: the variables routing reads, and the form fields marked
/// <c>"source": "platform"</c>, which no client may change.
/// </summary>
public interface IRecordedFactsSource
{
    /// <summary>Whether this source decides anything for cases of <paramref name="definitionId"/>.</summary>
    bool Handles(string definitionId);

    /// <summary>The variables this source sets: a client may not pass them as start input.</summary>
    IReadOnlyCollection<string> Variables(string definitionId);

    Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken);
}

/// <param name="Db">The command's context (inside its transaction when there is one).</param>
/// <param name="Form">The applicant's form as it would stand: the stored data with the submission merged over it.</param>
/// <param name="Final">Submitting: a fact the records must settle (a resource the form has to name) may not stay open.</param>
public sealed record RecordedFactsRequest(WorkflowDbContext Db, string DefinitionId, string Initiator, JsonObject Form, bool Final);

/// <summary>A source's answer: the variables and form fields it sets, or field errors (then nothing is written).</summary>
public sealed record RecordedFacts
{
    public static RecordedFacts None { get; } = new();

    public JsonObject Variables { get; init; } = [];

    public JsonObject FormFields { get; init; } = [];

    public IReadOnlyList<FormError> Errors { get; init; } = [];

    /// <summary>A stable English code for the whole refusal when it is more than a field error (e.g. a resource that is not shared).</summary>
    public string? RefusalCode { get; init; }

    public static RecordedFacts Refused(string field, string code, string message) => new() { Errors = [new FormError(field, code, message)] };

    /// <summary>Both answers together; the later one wins where they set the same name.</summary>
    public RecordedFacts Merge(RecordedFacts other)
    {
        var variables = (JsonObject)Variables.DeepClone();
        foreach (var (name, value) in other.Variables) variables[name] = value?.DeepClone();
        var fields = (JsonObject)FormFields.DeepClone();
        foreach (var (name, value) in other.FormFields) fields[name] = value?.DeepClone();
        return new RecordedFacts { Variables = variables, FormFields = fields, Errors = [.. Errors, .. other.Errors], RefusalCode = RefusalCode ?? other.RefusalCode };
    }
}

/// <summary>Asks every registered <see cref="IRecordedFactsSource"/> that handles a definition, in registration order.</summary>
public sealed class RecordedFactsService(IEnumerable<IRecordedFactsSource> sources)
{
    private readonly IReadOnlyList<IRecordedFactsSource> _sources = sources.ToList();

    public bool Handles(string definitionId) => _sources.Any(s => s.Handles(definitionId));

    /// <summary>The variables the platform sets for cases of a definition: never start input from a client.</summary>
    public IReadOnlySet<string> DerivedVariables(string definitionId) =>
        _sources.Where(s => s.Handles(definitionId)).SelectMany(s => s.Variables(definitionId)).ToHashSet(StringComparer.Ordinal);

    public async Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken)
    {
        var facts = RecordedFacts.None;
        foreach (var source in _sources.Where(s => s.Handles(request.DefinitionId)))
            facts = facts.Merge(await source.DeriveAsync(request, cancellationToken));
        return facts;
    }
}
