using System.Text.Encodings.Web;
using System.Text.Json;

namespace PdsWorkflow.Workflows;

/// <summary>JSON as stored: Chinese text written as is, so that journals and states read plainly in the database.</summary>
internal static class JsonDefaults
{
    public static JsonSerializerOptions Stored { get; } = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
