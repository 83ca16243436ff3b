using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Definitions;

public static class ImportOutcomes
{
    public const string Created = "Created";
    public const string Unchanged = "Unchanged";
    public const string Invalid = "Invalid";
    public const string Unreadable = "Unreadable";
}

public sealed record ImportedDefinition(string File, string? DefinitionId, string Outcome, int? Version, IReadOnlyList<DefinitionError> Errors, string? Message);

/// <summary>
/// Imports the definition files of a folder idempotently: a file whose content any stored version already has creates
/// nothing; a new or changed file becomes a new version, published when it is valid and left as a draft when not.
/// </summary>
public sealed class DefinitionImporter(WorkflowStore store, WorkflowDefinitionStore definitions, ILogger<DefinitionImporter> logger)
{
    public const string Actor = "system:import";

    public async Task<IReadOnlyList<ImportedDefinition>> ImportDirectoryAsync(string folder, CancellationToken cancellationToken = default)
    {
        var results = new List<ImportedDefinition>();
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("Definitions folder {Folder} does not exist; nothing imported", folder);
            return results;
        }

        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var result = await ImportFileAsync(file, cancellationToken);
            logger.Log(result.Outcome is ImportOutcomes.Created or ImportOutcomes.Unchanged ? LogLevel.Information : LogLevel.Error,
                "Definition file {File}: {Outcome} {DefinitionId} v{Version} {Message}", result.File, result.Outcome, result.DefinitionId, result.Version,
                result.Message ?? string.Join("; ", result.Errors.Select(e => e.Message)));
            results.Add(result);
        }

        return results;
    }

    public async Task<ImportedDefinition> ImportFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var name = Path.GetFileName(path);
        WorkflowDefinition definition;
        try
        {
            definition = DefinitionSerializer.Deserialize(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (JsonException ex)
        {
            return new ImportedDefinition(name, null, ImportOutcomes.Unreadable, null, [], ex.Message);
        }

        var hash = DefinitionSerializer.ContentHash(definition);
        var result = await store.InTransactionAsync<ImportedDefinition>(async (db, ct) =>
        {
            var existing = await db.Definitions.Where(d => d.DefinitionId == definition.DefinitionId && d.ContentHash == hash)
                .Select(d => (int?)d.Version).FirstOrDefaultAsync(ct);
            if (existing is { } version)
                return new ImportedDefinition(name, definition.DefinitionId, ImportOutcomes.Unchanged, version, [], null);

            var record = await definitions.SaveAsync(db, definition, Actor, "file:" + name, forceNewVersion: true, ct);
            var errors = await definitions.PublishAsync(db, record, Actor, ct);
            return new ImportedDefinition(name, definition.DefinitionId, errors.Count == 0 ? ImportOutcomes.Created : ImportOutcomes.Invalid,
                record.Version, errors, errors.Count == 0 ? null : "已保存为草稿，未发布");
        }, cancellationToken);
        return result.IsSuccess ? result.Value : new ImportedDefinition(name, definition.DefinitionId, ImportOutcomes.Unreadable, null, [], result.Error!.Detail);
    }
}
