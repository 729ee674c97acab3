using System.Text.Json;

namespace RclonePool.Server.Api.Json;

/// <summary>
/// <c>GET jobs/{id}</c>: a job's kind, state (<c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>,
/// <c>cancelled</c>), progress, times, and its result once succeeded or its error once failed.
/// </summary>
internal sealed record JobJson(
    string Id,
    string Kind,
    string State,
    JobProgressJson Progress,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    JsonElement? Result,
    ProblemJson? Error);
