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
/// <see cref="ReleaseAsync"/> compacts the manifests (with packs: what only the leaving remote holds goes into the others'
/// packs, superseded revisions are dropped), then removes the pool's manifests and its descriptor from the remote, so that
/// adding it again later starts from nothing. The config file is changed by the caller (<see cref="ConfigFileEdit.RemoveRemote"/>),
/// after both.
/// </summary>
public sealed class RemoteRemoval(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    // The survey of the last check: the compaction before the release works on it, so the remotes are listed once.
    private PoolSurvey? _survey;

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
        _survey = survey;

        // With packing, the compaction of the release drops every revision older than the index's, in packs (which a
        // move or a drain cannot shorten) and as single objects alike, so those no longer hold anything on the remote.
        var compacted = Compacts && survey.AllListed;
        var down = survey.Remotes.Where(r => !r.Listed && r.Remote.Name != remote).Select(r => r.Remote.Name).ToHashSet(StringComparer.Ordinal);
        var held = new HashSet<(string Remote, string Object)>();
        long bytes = 0;
        var files = 0;
        var lost = new List<string>();
        foreach (var entry in survey.Entries.Where(e => e.Current is not null))
        {
            var kept = compacted && entry.Older.Count > 0 && await _pool.Index.GetByIdAsync(entry.FileId, cancellationToken) is { } indexed
                ? entry.Older.Where(m => m.Revision >= indexed.Revision)
                : entry.Older;
            var here = kept.Prepend(entry.Current!).SelectMany(m => m.Chunks).SelectMany(c => c.Locations).Where(l => l.Remote == remote).ToList();
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

    /// <summary>True when the pool's manifests are compacted around a removal: packing on, or packs in the pool.</summary>
    private bool Compacts => _pool.Manifests.WritesPacks || _pool.Manifests.PoolHasPacks;

    /// <summary>
    /// Compacts the manifests (with packs; over the survey of <see cref="CheckAsync"/> when there was one): every remote
    /// left gets the current revisions it lacks, a copy on the leaving remote included, and the revisions the index holds
    /// newer ones of are dropped. Then removes this pool's manifests (and shared-content markers) from the remote, then its
    /// pool descriptor. The chunk objects stay (none is left after a drain; after a forced removal they are the user's to
    /// delete). Returns the objects removed.
    /// </summary>
    public async Task<int> ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        var remote = _pool.Remote(Resolve(name));
        if (Compacts)
        {
            await CompactAsync(cancellationToken);
        }

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

    private async Task CompactAsync(CancellationToken cancellationToken)
    {
        await _pool.Manifests.CompactionGate.WaitAsync(cancellationToken);
        try
        {
            var survey = _survey ?? await _pool.SurveyAsync(new SurveyOptions(), cancellationToken);
            var result = await new PackCompactor(_pool).CompactAsync(survey, full: true, tidy: false, cancellationToken);
            foreach (var problem in result.Problems.Prepend(result.Skipped).OfType<string>())
            {
                _pool.Logger.LogWarning("The manifests were not all compacted before the remote left ({Problem}); superseded revisions may still name it until 'rclonepool index compact' runs.", problem);
            }
        }
        finally
        {
            _pool.Manifests.CompactionGate.Release();
        }
    }
}
