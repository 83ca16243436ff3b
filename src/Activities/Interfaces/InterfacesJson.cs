using System.Text.Encodings.Web;
using System.Text.Json;

namespace PdsWorkflow.Activities.Interfaces;

internal static class InterfacesJson
{
    public static JsonSerializerOptions Stored { get; } = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
