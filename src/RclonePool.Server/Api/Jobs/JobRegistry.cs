using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RclonePool.Server.Metrics;

namespace RclonePool.Server.Api.Jobs;

/// <summary>
/// The jobs of one server process: started by API requests, run in the background (at most
/// <see cref="JobRegistryOptions.MaxRunning"/> at once, the others queued), each visible only to the user who started
/// it, cancellable, and remembered for a while once finished (the oldest finished jobs are forgotten first).
/// Disposing it cancels every job and waits for them to end.
/// </summary>
public sealed class JobRegistry : IJobCounts, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ApiJob> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly JobRegistryOptions _options;
    private int _disposed;

    public JobRegistry(JobRegistryOptions? options = null)
    {
        _options = options ?? new JobRegistryOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxRunning, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxActive, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxFinished);
        _slots = new SemaphoreSlim(_options.MaxRunning, _options.MaxRunning);
    }

    /// <summary>
    /// Starts <paramref name="work"/> as a job of <paramref name="owner"/>; returns at once with the job queued or
    /// running. The work reports progress through the job and returns its result as JSON (or null). A failure becomes
    /// the job's error with the words the CLI would print; cancellation ends it as cancelled.
    /// </summary>
    public ApiJob Start(string owner, string kind, string unit, Func<ApiJob, CancellationToken, Task<JsonElement?>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_jobs.Values.Count(j => !j.State.IsFinal()) >= _options.MaxActive)
        {
            throw new ApiException(StatusCodes.Status429TooManyRequests,
                $"{_options.MaxActive} jobs are already queued or running; wait for one to finish (GET jobs) or cancel one (DELETE jobs/ID).");
        }

        var job = new ApiJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), kind, owner, unit, Now);
        _jobs[job.Id] = job;
        job.Completion = Task.Run(() => RunAsync(job, work));
        return job;
    }

    /// <summary>The job with this id if <paramref name="owner"/> started it; null otherwise (another user's job does not exist for them).</summary>
    public ApiJob? Find(string id, string owner) =>
        _jobs.TryGetValue(id, out var job) && string.Equals(job.Owner, owner, StringComparison.Ordinal) ? job : null;

    /// <summary>The jobs <paramref name="owner"/> started that are still remembered, newest first.</summary>
    public IReadOnlyList<ApiJob> Of(string owner) =>
        [.. _jobs.Values.Where(j => string.Equals(j.Owner, owner, StringComparison.Ordinal)).OrderByDescending(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal)];

    /// <summary>Asks a job to stop; false when it had already finished.</summary>
    public static bool Cancel(ApiJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Cancel();
    }

    /// <summary>Forgets a finished job at once (DELETE of a finished job).</summary>
    public void Forget(ApiJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State.IsFinal())
        {
            if (_jobs.TryRemove(job.Id, out _))
            {
                job.Dispose();
            }
        }
    }

    /// <summary>The jobs kept (running, queued and the finished history) by kind and state, for the metrics.</summary>
    public IReadOnlyCollection<JobCount> CountJobs() =>
        [.. _jobs.Values.GroupBy(j => (j.Kind, State: j.State.Name())).Select(g => new JobCount(g.Key.Kind, g.Key.State, g.Count()))];

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var jobs = _jobs.Values.ToList();
        foreach (var job in jobs)
        {
            job.Cancel();
        }

        await Task.WhenAll(jobs.Select(j => j.Completion));
        foreach (var job in jobs)
        {
            job.Dispose();
        }

        _slots.Dispose();
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private async Task RunAsync(ApiJob job, Func<ApiJob, CancellationToken, Task<JsonElement?>> work)
    {
        var token = job.Token;
        try
        {
            await _slots.WaitAsync(token);
        }
        catch (OperationCanceledException)
        {
            job.Cancelled(Now);
            Forget();
            return;
        }

        try
        {
            token.ThrowIfCancellationRequested(); // cancelled while it waited for its slot
            if (job.TryStart(Now))
            {
                var result = await work(job, token);
                job.Succeed(result, Now);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            job.Cancelled(Now);
        }
        catch (Exception e)
        {
            var (status, detail) = ApiProblems.Classify(e) ?? (StatusCodes.Status500InternalServerError, $"The job failed unexpectedly: {e.Message}");
            job.Fail(ApiProblems.Json(status, detail), Now);
        }
        finally
        {
            _slots.Release();
            Forget();
        }
    }

    /// <summary>Forgets the oldest finished jobs beyond <see cref="JobRegistryOptions.MaxFinished"/>.</summary>
    private void Forget()
    {
        var finished = _jobs.Values.Where(j => j.State.IsFinal()).ToList();
        foreach (var old in finished.OrderByDescending(j => j.FinishedAt).Skip(_options.MaxFinished))
        {
            if (_jobs.TryRemove(old.Id, out _))
            {
                old.Dispose();
            }
        }
    }
}
