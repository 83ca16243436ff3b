using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>One activity execution to run in the current burst; <see cref="Via"/> is the connection it arrived by.</summary>
internal sealed record WorkItem(string ActivityId, Guid ExecutionId, int Attempt, string? Via, BookmarkRecord? Bookmark = null, JsonNode? Payload = null);
