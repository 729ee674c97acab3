using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;
using RclonePool.Server.Api.Jobs;

namespace RclonePool.Server.Api;

/// <summary>What the API's endpoints share: the pool, its jobs, the last health result, cached counts and the clock.</summary>
internal sealed class PoolApiContext : IDisposable
{
    public PoolApiContext(IPoolFileSystem files, StoragePool? pool, JobRegistry jobs, TimeProvider time)
    {
        Files = files;
        Pool = pool;
        Jobs = jobs;
        Time = time;
        Started = time.GetUtcNow();
        Summary = new PoolSummary(files, time);
        Health = new LastHealth(time);
    }

    /// <summary>The pool as a file system (what every file endpoint needs).</summary>
    public IPoolFileSystem Files { get; }

    /// <summary>The pool itself, for manifests, remotes and jobs; null when the server serves another <see cref="IPoolFileSystem"/>.</summary>
    public StoragePool? Pool { get; }

    public JobRegistry Jobs { get; }

    public TimeProvider Time { get; }

    public DateTimeOffset Started { get; }

    public PoolSummary Summary { get; }

    public LastHealth Health { get; }

    /// <summary>The pool, or 503 when this server serves something that is not a pool of remotes.</summary>
    public StoragePool RequirePool() => Pool ?? throw new ApiException(StatusCodes.Status503ServiceUnavailable,
        "This server does not serve a pool of remotes, so remotes, health and jobs are not available here.");

    /// <summary>The name of the user (or key) the request authenticated as; "anonymous" without authentication.</summary>
    public static string Caller(HttpContext http) => http.User.Identity?.Name is { Length: > 0 } name ? name : "anonymous";

    public void Dispose()
    {
        Summary.Dispose();
        Health.Dispose();
    }
}
