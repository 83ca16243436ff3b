using System.Text.Json;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// A JSON string may spell a lone UTF-16 surrogate as an escape (<c>"\ud800"</c>): the parsers accept it, but no text
/// column, hash or serializer downstream can hold it, and it used to fail half-way through a command (a 500 after the
/// draft had been created). Every <c>/api</c> request body that is JSON is read once here, before any endpoint, and one
/// with such a string (in a value or a property name) is refused with 400 <c>invalid_text</c> naming the field
/// (<c>form.contacts[0].name</c>), so nothing is written. Raw UTF-8 cannot carry a surrogate at all; the JSON readers
/// refuse invalid UTF-8 themselves.
/// </summary>
public static class JsonTextGuard
{
    public const string Code = "invalid_text";

    public static IApplicationBuilder UseJsonTextGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") && MayBeJson(request) && request.ContentLength != 0)
        {
            request.EnableBuffering();
            byte[] body;
            using (var copy = new MemoryStream())
            {
                await request.Body.CopyToAsync(copy, context.RequestAborted);
                body = copy.ToArray();
            }

            request.Body.Position = 0;
            if (FindLoneSurrogate(body) is { } field)
            {
                await Problems.Field(field, Code, $"“{field}”含有无效的字符（不成对的 UTF-16 代理项），请删除后重试。").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    /// <summary>
    /// Bodies declared as JSON, and those whose type says nothing (the designer and the calendar read the body as JSON
    /// whatever its type); forms and files are not JSON.
    /// </summary>
    private static bool MayBeJson(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return false;
        var type = request.ContentType;
        return type is null || !(type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
                                 || type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                                 || type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The path of the first string (value or property name) that escapes a lone surrogate, or null, also for a body
    /// that is not JSON at all (the endpoint answers that).
    /// </summary>
    internal static string? FindLoneSurrogate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        Next(frames);
                        break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped && HasLoneSurrogate(reader.ValueSpan)) return Path(frames, property: "?");
                        frames[^1].Property = reader.GetString();
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped && HasLoneSurrogate(reader.ValueSpan)) return Path(frames);
                        Next(frames);
                        break;
                    default:
                        Next(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint's own reading refuses it.
        }

        return null;
    }

    /// <summary>
    /// True when the escaped text of a JSON string (already checked by the reader: every \u has four hex digits) has a
    /// \uD800–\uDBFF not followed by a \uDC00–\uDFFF, or a low one alone.
    /// </summary>
    internal static bool HasLoneSurrogate(ReadOnlySpan<byte> escaped)
    {
        var pendingHigh = false;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != (byte)'\\' || i + 1 >= escaped.Length)
            {
                if (pendingHigh) return true;
                continue;
            }

            if (escaped[i + 1] != (byte)'u')
            {
                if (pendingHigh) return true;
                i++; // an escaped character such as \" or \\
                continue;
            }

            var unit = Hex(escaped.Slice(i + 2, 4));
            i += 5;
            if (char.IsHighSurrogate(unit))
            {
                if (pendingHigh) return true;
                pendingHigh = true;
            }
            else if (char.IsLowSurrogate(unit))
            {
                if (!pendingHigh) return true;
                pendingHigh = false;
            }
            else if (pendingHigh)
            {
                return true;
            }
        }

        return pendingHigh;
    }

    private static char Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits) value = value * 16 + (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        return (char)value;
    }

    /// <summary>A value ended: the next one of an array has the next index.</summary>
    private static void Next(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private static string Path(List<Frame> frames, string? property = null)
    {
        var path = new System.Text.StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var last = i == frames.Count - 1;
            if (frame.IsArray) path.Append('[').Append(frame.Index).Append(']');
            else if ((last && property is not null ? property : frame.Property) is { } name) path.Append(path.Length == 0 ? "" : ".").Append(name);
        }

        return path.Length == 0 ? "body" : path.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
        public string? Property { get; set; }
    }
}
