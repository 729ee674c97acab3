using System.Text.Json;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api.Jobs;

/// <summary>
/// One long-running piece of work started through the API: who started it, its state and progress, and once finished
/// its result or its error. Thread-safe: the work reports progress while requests read it.
/// </summary>
public sealed class ApiJob : IProgress<long>, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly object _gate = new();
    private long _done;
    private long _total = -1;
    private JobState _state = JobState.Queued;

    internal ApiJob(string id, string kind, string owner, string unit, DateTimeOffset created)
    {
        Id = id;
        Kind = kind;
        Owner = owner;
        Unit = unit;
        Created = created;
        Token = _cancel.Token;
    }

    public string Id { get; }

    /// <summary><c>verify</c>, <c>repair</c>, <c>rebalance</c> or <c>upload</c>.</summary>
    public string Kind { get; }

    /// <summary>The user (or key) name that started it; nobody else sees it.</summary>
    public string Owner { get; }

    /// <summary>What <see cref="Done"/> counts: <c>bytes</c>, <c>files</c> ...</summary>
    public string Unit { get; }

    public DateTimeOffset Created { get; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public JobState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public long Done => Interlocked.Read(ref _done);

    /// <summary>The amount of work in <see cref="Unit"/>s, or null when not known beforehand.</summary>
    public long? Total => Interlocked.Read(ref _total) is var total and >= 0 ? total : null;

    /// <summary>The result once succeeded (the job kind's JSON), else null.</summary>
    public JsonElement? Result { get; private set; }

    /// <summary>The error once failed, in the words the CLI uses, else null.</summary>
    internal ProblemJson? Error { get; private set; }

    /// <summary>Completes when the job has finished, whatever the outcome.</summary>
    public Task Completion { get; internal set; } = Task.CompletedTask;

    internal CancellationToken Token { get; private set; }

    /// <summary>Sets the work's progress (called by the work with a running count).</summary>
    public void Report(long value)
    {
        // Parallel workers report running totals out of order: keep the largest.
        var seen = Interlocked.Read(ref _done);
        while (value > seen && Interlocked.CompareExchange(ref _done, value, seen) is var current && current != seen)
        {
            seen = current;
        }
    }

    public void SetTotal(long total) => Interlocked.Exchange(ref _total, total);

    /// <summary>Asks the work to stop; true when it had not finished yet.</summary>
    internal bool Cancel()
    {
        if (State.IsFinal())
        {
            return false;
        }

        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false; // forgotten meanwhile
        }

        return true;
    }

    /// <summary>Releases the cancellation source once the job is forgotten.</summary>
    public void Dispose() => _cancel.Dispose();

    internal bool TryStart(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_state != JobState.Queued)
            {
                return false;
            }

            _state = JobState.Running;
            StartedAt = now;
            return true;
        }
    }

    internal void Succeed(JsonElement? result, DateTimeOffset now) => Finish(JobState.Succeeded, now, result, null);

    internal void Fail(ProblemJson error, DateTimeOffset now) => Finish(JobState.Failed, now, null, error);

    internal void Cancelled(DateTimeOffset now) => Finish(JobState.Cancelled, now, null, null);

    private void Finish(JobState state, DateTimeOffset now, JsonElement? result, ProblemJson? error)
    {
        lock (_gate)
        {
            if (_state.IsFinal())
            {
                return;
            }

            Result = result;
            Error = error;
            FinishedAt = now;
            _state = state;
        }
    }
}
