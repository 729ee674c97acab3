using System.Collections.Concurrent;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Placement;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>State shared by the chunk writes of one operation (an upload, a repair, a rebuild of one file).</summary>
internal sealed class UploadContext(PlacementSession placement, int workers, IProgress<long>? progress, RedundancyPolicy policy, PoolTraffic? traffic = null)
{
    private long _reported;

    /// <summary>How each chunk of this upload is stored.</summary>
    public RedundancyPolicy Policy { get; } = policy;

    public PlacementSession Placement { get; } = placement;

    public int Workers { get; } = workers;

    /// <summary>Remotes taken out of this operation, with the failure that did it.</summary>
    public ConcurrentDictionary<string, PoolException> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Every object an attempt wrote to (or may have), so a failed upload can remove them.</summary>
    public ConcurrentDictionary<(PoolRemote Remote, string Object), byte> Written { get; } = new();

    /// <summary>Content claims this operation wrote (<see cref="ContentClaims"/>), removed when it ends.</summary>
    public ConcurrentBag<RemotePath> Claims { get; } = [];

    public void ReportProgress(int bytes)
    {
        traffic?.AddUploaded(bytes);
        if (progress is not null)
        {
            progress.Report(Interlocked.Add(ref _reported, bytes));
        }
    }

    /// <summary>Takes a remote out of this operation after it failed.</summary>
    public void GiveUp(string remote, PoolException failure)
    {
        Placement.Exclude(remote);
        Failures.TryAdd(remote, failure);
    }

    /// <summary>When another chunk of this operation gave up on <paramref name="remote"/>: the failure to fail with at once.</summary>
    public PoolException? GaveUpOn(string remote) =>
        Failures.TryGetValue(remote, out var gaveUp) ? new PoolException(PoolErrorKind.Remote, gaveUp.Message, gaveUp) : null;

    /// <summary>
    /// No remote is left for a chunk because remotes failed: the error names each failing remote and why, and takes
    /// the failures' kind when every remote failed (permission, quota, unreachable), else "no space".
    /// </summary>
    public PoolException NoRemoteTook(int index, int remoteCount, PoolException noRoom)
    {
        var failures = Failures.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var kinds = failures.Select(f => f.Value.Kind).Distinct().ToList();
        var kind = failures.Count == remoteCount && kinds.Count == 1 ? kinds[0] : PoolErrorKind.NoSpace;
        var why = string.Join(" ", failures.Select(f => $"{f.Key} failed: {f.Value.Message.TrimEnd('.')}."));
        return new PoolException(kind, $"No remote could store chunk {index}. {why}{(kind == PoolErrorKind.NoSpace ? " " + noRoom.Message : "")}", noRoom);
    }
}
