using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// A form as plain JSON, shared by the server (validation) and the UI (rendering and client-side validation).
/// The data it describes is a flat JSON object keyed by the fields' keys, whatever the sections.
/// </summary>
public sealed record FormSchema
{
    /// <summary>Stable identifier, lower case words joined by '-' or '.', e.g. "interface-request".</summary>
    public required string Id { get; init; }

    /// <summary>1, 2, …; a changed form is a new version, so that running workflows keep the one they started with.</summary>
    public required int Version { get; init; }

    /// <summary>zh-CN title, e.g. 平顶山市政务数据共享交换平台服务接口申请表.</summary>
    public required string Title { get; init; }

    /// <summary>zh-CN; where the form comes from and what it is for.</summary>
    public string? Description { get; init; }

    public required IReadOnlyList<FormSection> Sections { get; init; }

    /// <summary>Cross-field rules over the top-level fields.</summary>
    public IReadOnlyList<FormRule> Rules { get; init; } = [];

    /// <summary>The top-level fields of every section, in order.</summary>
    [JsonIgnore]
    public IEnumerable<FormField> Fields => Sections.SelectMany(section => section.Fields);

    public FormField? FindField(string key) => Fields.FirstOrDefault(field => field.Key == key);

    /// <summary>A new form's data: each field that has a <see cref="FormField.Default"/>, set to a copy of it.</summary>
    public JsonObject CreateInitialData()
    {
        var data = new JsonObject();
        foreach (var field in Fields.Where(field => field.Default is not null))
        {
            data[field.Key] = field.Default!.DeepClone();
        }

        return data;
    }
}
