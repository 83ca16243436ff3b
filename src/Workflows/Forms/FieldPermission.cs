namespace PdsWorkflow.Workflows.Forms;

/// <summary>What a task may do with a field; written editable, readOnly, hidden.</summary>
public enum FieldPermission
{
    Editable,
    ReadOnly,
    Hidden,
}
