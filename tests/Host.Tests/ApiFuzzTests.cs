using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The "bad input" pass of issue #9 over the whole HTTP API, on the demo organisation, on SQLite and on PostgreSQL (where a
/// refused request that half-wrote would show first: its constraints and column lengths are enforced). The operations come from the live OpenAPI document, so a new endpoint is fuzzed without a change here. Every answer
/// is below 500; every 4xx is a problem detail with a stable <c>code</c> and a Chinese title; a refused request leaves
/// the row counts as they were; hostile text that is accepted comes back as sent. Deterministic (seed below);
/// <c>PDS_FUZZ_SCALE=N</c> sends more of the inputs to each operation and bigger payloads.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
[NonParallelizable]
public sealed class ApiFuzzTests(DatabaseProvider provider)
{
    private const int Seed = 20261122;
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("PDS_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;

    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;
    private RowCounter _rows = null!;
    private List<FuzzOperation> _operations = null!;
    private readonly FuzzTally _total = new();
    private Guid _case;
    private Guid _task;
    private Guid _entry;
    private Random _random = null!;
    private readonly List<string> _failures = [];
    private HttpClient? _anonymous;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = await HostFactory.StartAsync(provider, seedDemo: true);
        _sessions = new ApiSessions(_factory);
        _rows = new RowCounter(_factory.Services);
        (_case, _task) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Id\" FROM cat_entries ORDER BY \"Id\" LIMIT 1";
            _entry = Guid.Parse(Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        var document = await (await _sessions.AsAsync("bureau.admin")).GetFromJsonAsync<JsonObject>(Url("/openapi/v1.json"));
        _operations = FuzzOperation.Read(document!);
        _random = new Random(Seed);
        await TestContext.Progress.WriteLineAsync($"fuzz ({provider}): seed {Seed}, scale {Scale}, {_operations.Count} operations from /openapi/v1.json");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await TestContext.Progress.WriteLineAsync($"fuzz total ({provider}): {_total}");
        _sessions.Dispose();
        _anonymous?.Dispose();
        await _factory.DisposeAsync();
    }

    [Test, Order(1)]
    public void The_document_lists_the_api()
    {
        var listed = _operations.Select(o => o.ToString()).ToHashSet(StringComparer.Ordinal);
        Assert.That(listed, Does.Contain("POST /api/tasks/{id}/approve").And.Contain("PUT /api/admin/users/{id}").And.Contain("POST /api/applications"));
        Assert.That(_operations.Count(o => o.BodyProperties.Count > 0), Is.GreaterThan(15), "request bodies with properties are described");
    }

    [Test, Order(2)]
    public async Task Hostile_text_that_is_accepted_comes_back_verbatim()
    {
        var tally = new FuzzTally();
        var admin = await _sessions.AsAsync("bureau.admin");
        var approver = await _sessions.AsAsync("gaj.approver");

        // Searches: an injection string is a search term, not SQL.
        var before = await _rows.CountAsync();
        foreach (var value in new[] { FuzzInputs.SqlOr, FuzzInputs.SqlDrop, "%", "_", "\\" })
        {
            var users = await SendAsync(admin, HttpMethod.Get, $"/api/admin/users?search={Uri.EscapeDataString(value)}", null, tally);
            Assert.That(users.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await users.JsonAsync())["total"]!.GetValue<int>(), Is.Zero, $"search {value} matches no user");
            var entries = await SendAsync(approver, HttpMethod.Get, $"/api/catalog/entries?name={Uri.EscapeDataString(value)}", null, tally);
            Assert.That(entries.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await entries.JsonAsync())["total"]!.GetValue<int>(), Is.Zero, $"catalog name {value} matches no entry");
        }

        Assert.That(RowCounter.Diff(before, await _rows.CountAsync()), Is.Empty);

        // A comment on the task and a user's names: stored and shown as sent; but NUL, which PostgreSQL's text cannot hold,
        // is refused with a field error on every provider.
        var index = 0;
        foreach (var value in FuzzInputs.Hostile.Where(v => v.Trim().Length > 0))
        {
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                var refused = await SendAsync(approver, HttpMethod.Post, $"/api/tasks/{_task}/comment", $"{{\"comment\":{FuzzInputs.Json(value)}}}", tally);
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"comment {value}: {await refused.Content.ReadAsStringAsync()}");
                Assert.That((await refused.JsonAsync())["errors"]?["comment"]?[0]?.GetValue<string>(), Does.Contain("空字符"));
                continue;
            }

            var comment = await SendAsync(approver, HttpMethod.Post, $"/api/tasks/{_task}/comment", $"{{\"comment\":{FuzzInputs.Json(value)}}}", tally);
            Assert.That(comment.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"comment {value}: {await comment.Content.ReadAsStringAsync()}");

            var id = $"fuzz.user{index++}";
            var created = await SendAsync(admin, HttpMethod.Post, "/api/admin/users", new JsonObject
            {
                ["id"] = id, ["displayName"] = value, ["orgUnitId"] = "swj", ["password"] = "Fuzz2026pass", ["title"] = value, ["roles"] = new JsonArray(),
            }.ToJsonString(), tally);
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"user named {value}: {await created.Content.ReadAsStringAsync()}");
            var user = await (await SendAsync(admin, HttpMethod.Get, $"/api/admin/users/{id}", null, tally)).JsonAsync();
            // The display name is trimmed of surrounding white space (AdminEndpoints); the rest is kept as sent.
            Assert.That(user["displayName"]!.GetValue<string>(), Is.EqualTo(value.Trim()));
            Assert.That(user["title"]!.GetValue<string>(), Is.EqualTo(value));
        }

        var history = (await (await SendAsync(approver, HttpMethod.Get, $"/api/applications/{_case}", null, tally)).JsonAsync())["history"]!.AsArray();
        var comments = history.Select(h => h!["comment"]?.GetValue<string>()).ToList();
        foreach (var value in FuzzInputs.Hostile.Where(v => v.Trim().Length > 0 && !v.Contains('\0', StringComparison.Ordinal)))
            Assert.That(comments, Does.Contain(value), "the comment is in the history as sent");
        Assert.That(comments, Does.Not.Contain("49"), "no template was evaluated");

        // A lone surrogate is not text: refused as a problem, or stored with the replacement character, never a 500.
        var lone = await SendAsync(approver, HttpMethod.Post, $"/api/tasks/{_task}/comment", $"{{\"comment\":{FuzzInputs.LoneSurrogateJson}}}", tally);
        await AssertProblemAsync(lone, "a lone surrogate in a comment");

        // The tables are all still there.
        Assert.That((await _rows.CountAsync())["wf_instances"], Is.GreaterThan(0));
        await Report("verbatim", tally);
    }

    [Test, Order(3)]
    public async Task Every_operation_refuses_bad_bodies_with_a_problem_and_writes_nothing()
    {
        var tally = new FuzzTally();
        foreach (var operation in _operations.Where(o => o.SendsBody))
        {
            var client = await ClientFor(operation);
            var path = Fill(operation);
            foreach (var body in BadBodies(operation))
            {
                // An operation that declares a body must refuse these; one that takes none may ignore them.
                if (operation.BodyMediaType is not null) await RefusedAsync(client, operation, path, body, tally);
                else await AnyAsync(client, operation, path, body, tally);
            }
        }

        await Report("bad bodies", tally);
    }

    [Test, Order(4)]
    public async Task Every_property_survives_wrong_types_and_hostile_text()
    {
        var tally = new FuzzTally();
        foreach (var operation in _operations.Where(o => o.SendsBody && o.BodyProperties.Count > 0 && o.BodyMediaType == "application/json"))
        {
            var client = await ClientFor(operation);
            var path = Fill(operation);
            foreach (var (name, type) in operation.BodyProperties)
            {
                foreach (var value in Pick(FuzzInputs.WrongValues, 4 * Scale))
                    await AnyAsync(client, operation, path, Body(operation, name, value), tally);
                if (type is "string")
                {
                    foreach (var value in Pick(FuzzInputs.Hostile, 5 * Scale))
                        await AnyAsync(client, operation, path, Body(operation, name, FuzzInputs.Json(value)), tally);
                    await AnyAsync(client, operation, path, Body(operation, name, FuzzInputs.LoneSurrogateJson), tally);
                    await TooLongAsync(client, operation, path, name, tally);
                }

                if (type is "array")
                    await AnyAsync(client, operation, path, Body(operation, name, FuzzInputs.BigArray(100_000 * Scale)), tally);
                if (type is "object" or "array")
                    await AnyAsync(client, operation, path, Body(operation, name, FuzzInputs.Deep(10_000 * Scale)), tally);
            }
        }

        await Report("properties", tally);
    }

    [Test, Order(5)]
    public async Task Bad_route_and_query_values_are_problems()
    {
        var tally = new FuzzTally();
        foreach (var operation in _operations)
        {
            var client = await ClientFor(operation);
            var body = operation.SendsBody ? Body(operation, null, null) : null;
            foreach (var (name, _) in operation.PathParameters)
                foreach (var value in Pick(FuzzInputs.RouteValues, 5 * Scale))
                    await AnyAsync(client, operation, Fill(operation, name, value), body, tally);

            foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
                foreach (var value in Pick(FuzzInputs.QueryValues, 4 * Scale))
                    await AnyAsync(client, operation, $"{Fill(operation)}?{parameter.Name}={value}", body, tally);
        }

        await Report("route and query values", tally);
    }

    /// <summary>
    /// Users of other organisations name the demo case, its task and a catalog entry by their real ids: every change
    /// is refused (404 outside scope, 403 without the role) and nothing is written.
    /// </summary>
    [TestCase("rsj.contact")]
    [TestCase("xhq-sjj.admin")]
    [Order(6)]
    public async Task Forged_ids_of_another_organisation_change_nothing(string user)
    {
        var tally = new FuzzTally();
        var client = await _sessions.AsAsync(user);
        foreach (var operation in _operations.Where(o => o.Method != "GET" && o.PathParameters.Any()))
        {
            var path = Fill(operation);
            var before = await _rows.CountAsync();
            var response = await SendAsync(client, new HttpMethod(operation.Method), path, operation.SendsBody ? Body(operation, null, null) : null, tally);
            var label = $"{user} {operation.Method} {path}";
            await AssertProblemAsync(response, label);
            Check((int)response.StatusCode is >= 400 and < 500, $"{label} is not refused: {(int)response.StatusCode}");
            var diff = RowCounter.Diff(before, await _rows.CountAsync());
            Check(diff.Length == 0, $"{label} wrote {diff}");
        }

        await Report($"forged ids as {user}", tally);
    }

    private IEnumerable<string?> BadBodies(FuzzOperation operation)
    {
        yield return null;
        foreach (var body in Pick(FuzzInputs.Malformed, 6 * Scale)) yield return body;
        foreach (var body in Pick(FuzzInputs.WrongRoots, 4 * Scale)) yield return body;
        yield return FuzzInputs.Deep(10_000 * Scale);
        yield return FuzzInputs.DeepObjects(10_000 * Scale);
        yield return FuzzInputs.BigArray(100_000 * Scale);
        yield return FuzzInputs.Json(new string('长', 2 * 1024 * 1024 / 3 * Scale));
        yield return "\u0000\u0001\u0002";
    }

    /// <summary>A refused request: a problem detail, and no row written.</summary>
    private async Task RefusedAsync(HttpClient client, FuzzOperation operation, string path, string? body, FuzzTally tally)
    {
        var before = await _rows.CountAsync();
        var response = await SendAsync(client, new HttpMethod(operation.Method), path, body, tally);
        var label = $"{operation.Method} {path} with {Describe(body)}";
        await AssertProblemAsync(response, label);
        Check((int)response.StatusCode is >= 400 and < 500, $"{label} is not refused: {(int)response.StatusCode}");
        var diff = RowCounter.Diff(before, await _rows.CountAsync());
        Check(diff.Length == 0, $"{label} wrote {diff}");
    }

    /// <summary>Any answer but a 5xx; a refusal is a problem detail and writes nothing.</summary>
    private async Task AnyAsync(HttpClient client, FuzzOperation operation, string path, string? body, FuzzTally tally)
    {
        var before = await _rows.CountAsync();
        var response = await SendAsync(client, new HttpMethod(operation.Method), path, body, tally);
        var label = $"{operation.Method} {path} with {Describe(body)}";
        await AssertProblemAsync(response, label);
        if ((int)response.StatusCode >= 400)
        {
            var diff = RowCounter.Diff(before, await _rows.CountAsync());
            Check(diff.Length == 0, $"{label} was refused ({(int)response.StatusCode}) and wrote {diff}");
        }
    }

    /// <summary>
    /// A 2 MB string in a string property: refused (4xx), never stored, nothing written; a message about the property is
    /// Chinese. A property an endpoint ignores (the comment of a draft save) or one checked after another refused field
    /// meets another refusal first; TextLimitTests checks each limit's own 400 precisely.
    /// </summary>
    private async Task TooLongAsync(HttpClient client, FuzzOperation operation, string path, string property, FuzzTally tally)
    {
        var before = await _rows.CountAsync();
        var body = Body(operation, property, FuzzInputs.Json(new string('长', 2 * 1024 * 1024 / 3 * Scale)));
        var response = await SendAsync(client, new HttpMethod(operation.Method), path, body, tally);
        var status = (int)response.StatusCode;
        var label = $"{operation.Method} {path} with a 2 MB {property}";
        await AssertProblemAsync(response, label);
        Check(status is >= 400 and < 500, $"{label} is not refused: {status}");
        var diff = RowCounter.Diff(before, await _rows.CountAsync());
        Check(diff.Length == 0, $"{label} wrote {diff}");
        if (status != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json") return;
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errors"] as JsonObject;
        var messages = errors?.Where(e => e.Key == property || e.Key.StartsWith(property + ".", StringComparison.Ordinal))
            .SelectMany(e => e.Value?.AsArray() ?? []).Select(m => m?.GetValue<string>() ?? "").ToList() ?? [];
        Check(messages.All(m => ProblemShape.Chinese().IsMatch(m)), $"{label}: the message of {property} is not Chinese: {errors}");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body, FuzzTally tally)
    {
        using var request = new HttpRequestMessage(method, Url(path));
        if (body is not null) request.Content = new StringContent(body, new UTF8Encoding(false), new MediaTypeHeaderValue("application/json"));
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        tally.Add(response.StatusCode);
        _total.Add(response.StatusCode);
        return response;
    }

    private async Task AssertProblemAsync(HttpResponseMessage response, string label)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            _failures.Add($"{label}: {status} {await Excerpt(response)}");
            return;
        }

        if (status < 400) return;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            _failures.Add($"{label} ({status}) is not a problem detail: {response.Content.Headers.ContentType} {await Excerpt(response)}");
            return;
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Check(problem?["code"] is JsonValue code && code.GetValue<string>().Length > 0, $"{label} ({status}) has no code: {problem}");
        Check(ProblemShape.Chinese().IsMatch(problem?["title"]?.GetValue<string>() ?? ""), $"{label} ({status}) has no Chinese title: {problem}");
    }

    private static async Task<string> Excerpt(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 600 ? text[..600] + "…" : text;
    }

    private static string Describe(string? body) => body is null ? "no body" : body.Length > 80 ? $"{body[..60]}… ({body.Length} chars)" : body;

    private IEnumerable<T> Pick<T>(IReadOnlyList<T> values, int count) =>
        count >= values.Count ? values : values.OrderBy(_ => _random.Next()).Take(count).ToList();

    /// <summary>A plausible body of the operation, with one property replaced by a raw JSON value.</summary>
    private static string Body(FuzzOperation operation, string? property, string? rawValue)
    {
        var parts = operation.BodyProperties.Select(p => (p.Name, Value: p.Name == property ? rawValue! : Plausible(p.Name, p.Type)));
        return "{" + string.Join(',', parts.Select(p => $"{FuzzInputs.Json(p.Name)}:{p.Value}")) + "}";
    }

    private static string Plausible(string name, string type) => (name, type) switch
    {
        (_, "integer" or "number") => "1",
        (_, "boolean") => "false",
        (_, "array") => "[]",
        (_, "object") => "{}",
        ("toUser" or "signer", _) => "\"gaj.admin\"",
        ("position", _) => "\"After\"",
        _ => "\"测试\"",
    };

    /// <summary>
    /// A signed-in user who may reach the operation; for sign-in and sign-out a fresh anonymous client, so that the
    /// sessions of the demo users stay signed in.
    /// </summary>
    private async Task<HttpClient> ClientFor(FuzzOperation operation) => operation.Path.StartsWith("/api/auth/", StringComparison.Ordinal)
        ? _anonymous ??= _factory.CreateClient()
        : await _sessions.AsAsync(Insider(operation.Path));

    /// <summary>Who calls an operation: a user who may reach it, so that the fuzz gets past the role check.</summary>
    private static string Insider(string path) => path switch
    {
        _ when path.StartsWith("/api/admin", StringComparison.Ordinal) || path.StartsWith("/api/calendar", StringComparison.Ordinal) ||
               path.StartsWith("/api/outbox", StringComparison.Ordinal) => "bureau.admin",
        _ when path.StartsWith("/api/designer", StringComparison.Ordinal) => "bureau.workflow",
        _ when path.StartsWith("/api/audit", StringComparison.Ordinal) || path.StartsWith("/api/security-log", StringComparison.Ordinal) => "bureau.auditor",
        _ when path.StartsWith("/api/security/", StringComparison.Ordinal) => "bureau.security",
        _ when path.StartsWith("/api/applications", StringComparison.Ordinal) => "yx-wjw.contact",
        _ => "gaj.approver",
    };

    /// <summary>The route with real ids of the demo (the case, its task, a catalog entry), one parameter optionally replaced.</summary>
    private string Fill(FuzzOperation operation, string? parameter = null, string? value = null)
    {
        var path = operation.Path;
        foreach (var (name, _) in operation.PathParameters)
        {
            var real = name switch
            {
                _ when name == parameter => value!,
                "id" when path.StartsWith("/api/tasks", StringComparison.Ordinal) => _task.ToString(),
                "id" when path.StartsWith("/api/admin/users", StringComparison.Ordinal) || path.StartsWith("/api/security/users", StringComparison.Ordinal) => "swj.contact",
                "id" when path.StartsWith("/api/admin/units", StringComparison.Ordinal) => "swj",
                "id" => _case.ToString(),
                "entryId" => _entry.ToString(),
                "definitionId" => "subscription",
                "formId" => "resource-subscription",
                "version" or "number" => "1",
                "year" => "2026",
                "correlationId" => "DEMO-SUB-001",
                _ => RandomGuid().ToString(),
            };
            path = path.Replace("{" + name + "}", real, StringComparison.Ordinal);
        }

        return path;
    }

    private Guid RandomGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Prints the figures and fails with every finding of the test at once, not only the first.</summary>
    private async Task Report(string what, FuzzTally tally)
    {
        await TestContext.Progress.WriteLineAsync($"fuzz {what}: {tally}");
        var failures = _failures.ToList();
        _failures.Clear();
        Assert.That(failures, Is.Empty, $"{failures.Count} findings:\n" + string.Join("\n", failures.Take(40)));
    }

    private void Check(bool holds, string finding)
    {
        if (!holds) _failures.Add(finding);
    }
}
