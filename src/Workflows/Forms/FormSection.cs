namespace PdsWorkflow.Workflows.Forms;

/// <summary>A titled group of fields, for layout only: the data stays a flat object.</summary>
public sealed record FormSection
{
    public required string Key { get; init; }

    /// <summary>zh-CN, e.g. 业务信息 / 技术信息.</summary>
    public required string Title { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<FormField> Fields { get; init; }
}
