using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>One operation of the live OpenAPI document: its method, route template, parameters and JSON body's properties.</summary>
public sealed record FuzzOperation(
    string Method,
    string Path,
    IReadOnlyList<(string Name, string In, string Type)> Parameters,
    IReadOnlyList<(string Name, string Type)> BodyProperties,
    string? BodyMediaType)
{
    public bool SendsBody => Method is "POST" or "PUT" or "PATCH";

    public IEnumerable<(string Name, string Type)> PathParameters => Parameters.Where(p => p.In == "path").Select(p => (p.Name, p.Type));

    public override string ToString() => $"{Method} {Path}";

    /// <summary>Every POST/PUT/PATCH/DELETE, and every GET with parameters, of the document.</summary>
    public static List<FuzzOperation> Read(JsonObject document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" || node is not JsonObject operation) continue;
                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => Resolve(document, p!.AsObject()))
                    .Select(p => (p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), TypeOf(document, p["schema"])))
                    .ToList();
                string? mediaType = null;
                var properties = new List<(string, string)>();
                if (operation["requestBody"]?["content"] is JsonObject content)
                {
                    mediaType = content.Select(c => c.Key).FirstOrDefault();
                    if (mediaType is not null && content[mediaType]?["schema"] is JsonObject schema &&
                        Resolve(document, schema)["properties"] is JsonObject props)
                        properties.AddRange(props.Select(p => (p.Key, TypeOf(document, p.Value))));
                }

                var upper = method.ToUpperInvariant();
                if (upper == "GET" && parameters.Count == 0) continue;
                operations.Add(new FuzzOperation(upper, path, parameters, properties, mediaType));
            }
        }

        return operations.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal).ToList();
    }

    private static JsonObject Resolve(JsonObject document, JsonObject node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            JsonNode current = document;
            foreach (var part in reference.TrimStart('#', '/').Split('/')) current = current[part]!;
            node = current.AsObject();
        }

        return node;
    }

    /// <summary>The schema's JSON type, the first that is not null (OpenAPI 3.1 writes <c>["null","string"]</c>).</summary>
    private static string TypeOf(JsonObject document, JsonNode? schema)
    {
        if (schema is not JsonObject obj) return "object";
        obj = Resolve(document, obj);
        return obj["type"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
            _ => "object",
        };
    }
}

/// <summary>The bad inputs: text that has broken parsers, renderers and SQL before, and wrong-shaped JSON.</summary>
public static class FuzzInputs
{
    public const string SqlOr = "' OR 1=1 --";
    public const string SqlDrop = "'; DROP TABLE wf_instances; --";
    public const string Template = "{{7*7}}";

    /// <summary>Strings stored as text; each must come back as sent when accepted.</summary>
    public static readonly string[] Hostile =
    [
        "<script>alert('xss')</script>",
        "\"><img src=x onerror=alert(1)>",
        SqlOr,
        SqlDrop,
        "\" OR \"\"=\"",
        "1; SELECT pg_sleep(5); --",
        Template,
        "${7*7}",
        "${jndi:ldap://127.0.0.1:1/a}",
        "<%= 7*7 %>",
        "../../../../etc/passwd",
        "\u202E申请单\u202Dtxt.exe", // RTL override
        "零\u200B宽\u200D字\uFEFF符", // zero-width space, joiner, BOM
        "含\u0000空字符", // NUL
        "表情😀👨‍👩‍👧‍👦🇨🇳",
        "𠀀𠮷𪚥𫝀", // CJK extension B and beyond: 4-byte UTF-8
        "Z̴̡̛͈̜a̷̢͓l̸͎̓g̶̱̈o̵͖͋", // combining marks
        "   ",
        "",
        "\r\n\t\\\"",
        "%00%0d%0a%s%n%x",
        "平顶山市政务服务和大数据管理局",
    ];

    /// <summary>A lone surrogate cannot be stored as sent (it is not a Unicode scalar): it is sent raw as a JSON escape.</summary>
    public const string LoneSurrogateJson = "\"\\ud800 孤立代理\"";

    /// <summary>Bodies that are not JSON or not well-formed.</summary>
    public static readonly string[] Malformed =
    [
        "{", "}", "{\"a\":", "[1,2", "nul", "{\"x\":1}}", "{'single':'quotes'}", "{\"a\":1,}", "{a:1}", "\"unterminated",
        "{\"a\":NaN}", "{\"a\":0x10}", "\uFEFF\uFEFF{}", "<xml/>", "--\r\n", "{\"a\":\"\\u12\"}",
    ];

    /// <summary>Whole bodies of the wrong JSON type.</summary>
    public static readonly string[] WrongRoots = ["null", "1", "-1.5", "\"text\"", "[]", "[{}]", "true", "{}"];

    /// <summary>Property values of every JSON type, for whatever the property should be.</summary>
    public static readonly string[] WrongValues =
    [
        "123", "-1", "2147483648", "1.5", "1e308", "1e999", "\"文本\"", "\"\"", "[]", "[1,\"a\",null]", "{}", "{\"a\":{\"b\":[]}}", "null", "true",
        "\"00000000-0000-0000-0000-000000000000\"",
    ];

    public static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    public static string Deep(int levels, char open = '[', char close = ']') => new string(open, levels) + new string(close, levels);

    public static string DeepObjects(int levels)
    {
        var text = new StringBuilder(levels * 6);
        for (var i = 0; i < levels; i++) text.Append("{\"a\":");
        text.Append('1').Append('}', levels);
        return text.ToString();
    }

    public static string BigArray(int count) => "[" + string.Join(',', Enumerable.Repeat("\"00000000-0000-0000-0000-000000000001\"", count)) + "]";

    /// <summary>
    /// Values put into route segments in place of ids, names and numbers. Not %00: the test server refuses to send it
    /// (Kestrel answers such a request line with its own 400 before the application sees it).
    /// </summary>
    public static readonly string[] RouteValues =
    [
        "abc", "-1", "0", "99999999999999999999", "%2e%2e%2f%2e%2e%2fetc", "%27%20OR%201%3D1%20--", "%E2%80%AE", "%F0%9F%98%80",
        "%ED%A0%80", new string('9', 300), "00000000-0000-0000-0000-000000000000", "{{7*7}}",
    ];

    /// <summary>Values put into query parameters.</summary>
    public static readonly string[] QueryValues =
    [
        "abc", "-1", "0", "2147483648", "1e999", "true", "", "%00", "%27%20OR%201%3D1%20--", "%3Cscript%3E", "%ED%A0%80", "2026-13-45",
        "00000000-0000-0000-0000-000000000000", "%7B%7B7*7%7D%7D",
    ];
}

/// <summary>Requests sent per status class, printed in the test output and copied into docs/reliability.md.</summary>
public sealed class FuzzTally
{
    private readonly Dictionary<string, int> _byClass = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _byStatus = [];

    public int Sent { get; private set; }

    public void Add(HttpStatusCode status)
    {
        Sent++;
        var code = (int)status;
        var key = $"{code / 100}xx";
        _byClass[key] = _byClass.GetValueOrDefault(key) + 1;
        _byStatus[code] = _byStatus.GetValueOrDefault(code) + 1;
    }

    public override string ToString() =>
        $"{Sent} requests: " + string.Join(", ", _byClass.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")) +
        " (" + string.Join(", ", _byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")) + ")";
}

/// <summary>
/// Row counts of the tables a refused request must not touch. Not ntf_notifications: the outbox dispatcher writes it in
/// the background, after the request that queued the message. Not wf_security_log: a refusal writes its row there, and
/// only there (docs/security.md); nor, in wf_outbox, the anchor messages of that log's own signed checkpoints, which its
/// rows bring about.
/// </summary>
public sealed class RowCounter(IServiceProvider services)
{
    public static readonly string[] Tables =
    [
        "wf_instances", "wf_tasks", "wf_task_candidates", "wf_journal", "wf_task_actions", "wf_bookmarks", "wf_outbox", "wf_attachments",
        "wf_carbon_copies", "wf_definitions", "wf_incidents", "org_users", "org_user_roles", "org_units", "org_password_history", "cat_entries", "cat_versions",
        "cat_mounts", "cat_audit",
    ];

    public async Task<IReadOnlyDictionary<string, long>> CountAsync()
    {
        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Join(" UNION ALL ", Tables.Select(t => t == "wf_outbox"
            ? $"SELECT '{t}', COUNT(*) FROM {t} WHERE \"Key\" NOT LIKE 'anchor:security:%'"
            : $"SELECT '{t}', COUNT(*) FROM {t}"));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    public static string Diff(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        string.Join(", ", Tables.Where(t => before[t] != after[t]).Select(t => $"{t} {before[t]}→{after[t]}"));
}

internal static partial class ProblemShape
{
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    public static partial Regex Chinese();
}
