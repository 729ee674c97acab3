using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// A remote leaving the pool (<c>remote remove</c>): <see cref="CheckAsync"/> tells from the manifests (every revision,
/// read from the remotes) what the remote still holds and which files would no longer read without it;
/// <see cref="ReleaseAsync"/> removes the pool's manifests and then its descriptor from the remote, so that adding it again
/// later starts from nothing. The config file is changed by the caller (<see cref="ConfigFileEdit.RemoveRemote"/>),
/// after both.
/// </summary>
public sealed class RemoteRemoval(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>The remote of the config that <paramref name="name"/> names (as written, or normalised); BadInput when none.</summary>
    public string Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalised = ConfigValidator.NormaliseRemote(name);
        return _pool.Remotes.FirstOrDefault(r => r.Name == name || ConfigValidator.NormaliseRemote(r.Name) == normalised)?.Name
            ?? throw new PoolException(PoolErrorKind.BadInput, $"{name} is not a remote of the pool ({string.Join(", ", _pool.Remotes.Select(r => r.Name))}); nothing was changed. See 'rclonepool remote list'.");
    }

    public async Task<RemovalCheck> CheckAsync(string name, CancellationToken cancellationToken)
    {
        var remote = Resolve(name);
        var survey = await _pool.SurveyAsync(new SurveyOptions { AllRevisions = true }, cancellationToken);
        var down = survey.Remotes.Where(r => !r.Listed && r.Remote.Name != remote).Select(r => r.Remote.Name).ToHashSet(StringComparer.Ordinal);
        var held = new HashSet<(string Remote, string Object)>();
        long bytes = 0;
        var files = 0;
        var lost = new List<string>();
        foreach (var entry in survey.Entries.Where(e => e.Current is not null))
        {
            var here = entry.Older.Prepend(entry.Current!).SelectMany(m => m.Chunks).SelectMany(c => c.Locations).Where(l => l.Remote == remote).ToList();
            if (here.Count == 0)
            {
                continue;
            }

            files++;
            foreach (var location in here.Where(l => held.Add((l.Remote, l.Object))))
            {
                bytes += location.StoredLength;
            }

            if (entry.Current!.Chunks.Any(c => !StaysReadable(entry.Current, c, remote, down)))
            {
                lost.Add(entry.Current.Path);
            }
        }

        return new RemovalCheck
        {
            Remote = remote,
            Answers = survey.Remotes.Single(r => r.Remote.Name == remote).Listed,
            Objects = held.Count,
            Bytes = bytes,
            Files = files,
            Lost = [.. lost.Order(StringComparer.Ordinal)],
            Down = [.. down.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// True when <paramref name="chunk"/> still reads without <paramref name="removed"/> and the remotes that are
    /// <paramref name="down"/>: by <see cref="HealthRule"/>, a copy elsewhere, or k shards of its stripe (a data shard
    /// past the end of a short chunk is always there).
    /// </summary>
    private static bool StaysReadable(Manifest file, ChunkEntry chunk, string removed, HashSet<string> down) =>
        HealthRule.Of(file, chunk, [.. chunk.Locations.Select(l => l.Remote != removed && !down.Contains(l.Remote))]).Margin >= 0;

    /// <summary>
    /// Removes this pool's manifests (and shared-content markers) from the remote, then its pool descriptor. The chunk
    /// objects stay (none is left after a drain; after a forced removal they are the user's to delete). Returns the
    /// objects removed.
    /// </summary>
    public async Task<int> ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        var remote = _pool.Remote(Resolve(name));
        var manifests = new List<RemotePath>();
        await foreach (var entry in _pool.Store.ListAsync(_pool.Layout.ManifestDirectory(remote), recursive: true, cancellationToken))
        {
            if (!entry.IsDirectory)
            {
                manifests.Add(new RemotePath(remote.Storage, entry.Path));
            }
        }

        var removed = 0;
        await Parallel.ForEachAsync(manifests, new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism, CancellationToken = cancellationToken }, async (path, ct) =>
        {
            if (await _pool.Store.DeleteAsync(path, ct))
            {
                Interlocked.Increment(ref removed);
            }
        });

        if (await _pool.Store.DeleteAsync(_pool.Layout.Descriptor(remote), cancellationToken))
        {
            removed++;
        }

        _pool.Logger.LogInformation("{Remote} left pool {Pool}: {Count} manifests and its pool descriptor removed from it.", remote.Name, _pool.PoolId, removed);
        return removed;
    }
}
