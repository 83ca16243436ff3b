using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>Reading form values as the validator does: for the engine's formats and rules and those a module registers.</summary>
public static class JsonValues
{
    public static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetValue<string>()),
        _ => false,
    };

    public static bool TryGetString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = "";
        return false;
    }

    /// <summary>A JSON number (not a numeric string) as a decimal.</summary>
    public static bool TryGetNumber(JsonNode? node, out decimal number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number &&
               decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public static bool TryGetBoolean(JsonNode? node, out bool flag)
    {
        var kind = node?.GetValueKind();
        flag = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    public static bool IsScalar(JsonNode? node) =>
        node?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    /// <summary>Deep equality of JSON values, numbers by value (1 and 1.0 are the same).</summary>
    public static bool Same(JsonNode? left, JsonNode? right)
    {
        switch (left, right)
        {
            case (JsonObject leftObject, JsonObject rightObject):
                return leftObject.Count == rightObject.Count && leftObject.All(property =>
                    rightObject.TryGetPropertyValue(property.Key, out var other) && Same(property.Value, other));
            case (JsonArray leftArray, JsonArray rightArray):
                return leftArray.Count == rightArray.Count &&
                       leftArray.Zip(rightArray).All(pair => Same(pair.First, pair.Second));
            default:
                if (TryGetNumber(left, out var leftNumber) && TryGetNumber(right, out var rightNumber))
                {
                    return leftNumber == rightNumber;
                }

                return JsonNode.DeepEquals(left, right);
        }
    }

    public static string Display(JsonNode node) => TryGetString(node, out var text) ? text : node.ToJsonString();

    public static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
