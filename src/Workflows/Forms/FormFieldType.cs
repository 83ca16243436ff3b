namespace PdsWorkflow.Workflows.Forms;

/// <summary>What a field holds; written in camelCase in the schema JSON ("text", "multiselect", "datetime"…).</summary>
public enum FormFieldType
{
    /// <summary>One line of text (JSON string, trimmed).</summary>
    Text,

    /// <summary>Several lines of text (JSON string, trimmed, line ends normalised to \n).</summary>
    Textarea,

    /// <summary>A decimal number (JSON number; a numeric string is accepted and normalised to a number).</summary>
    Number,

    /// <summary>A whole number (as <see cref="Number"/>, without a fraction).</summary>
    Integer,

    /// <summary>A calendar date, CCYY-MM-DD.</summary>
    Date,

    /// <summary>A date and time, normalised to yyyy-MM-ddTHH:mm:ss±hh:mm; without an offset, Beijing time (+08:00).</summary>
    Datetime,

    /// <summary>One of <see cref="FormField.Options"/>.</summary>
    Select,

    /// <summary>A JSON array of distinct values from <see cref="FormField.Options"/>.</summary>
    Multiselect,

    /// <summary>true or false; when required, it must be true.</summary>
    Checkbox,

    /// <summary>An e-mail address (the "email" format applies).</summary>
    Email,

    /// <summary>A mobile or landline number (the "mobileOrLandline" format applies).</summary>
    Phone,

    /// <summary>An uploaded file: { "id", "name", "size"?, "contentType"? }.</summary>
    File,

    /// <summary>A JSON array of rows, each an object of <see cref="FormField.Columns"/>.</summary>
    Table,
}
