using Microsoft.Extensions.Logging;
using RclonePool.Core.Caching;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>
/// Rebuild (docs/redundancy.md): restores full redundancy from the pool itself. Every stored object is checked; a
/// missing or damaged copy or shard is written again from a verified (possibly degraded) read of its chunk, on a
/// remote that holds no other object of the chunk, read back, and recorded in a new manifest revision on every
/// remote. Idempotent, and safe to interrupt: nothing is named by a manifest before it was written and checked.
/// </summary>
public sealed partial class StoragePool
{
    public async Task<RebuildReport> RebuildAsync(PoolPath scope, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var callsBefore = RemoteCallCount;
        var claimed = await ClaimEmptiedRemotesAsync(cancellationToken);
        var survey = await PoolSurvey.TakeAsync(_store, Layout, Remotes, _index, new SurveyOptions { Scope = scope.IsRoot ? null : scope, AllCopies = true }, cancellationToken);
        var entries = survey.Entries
            .Where(e => e.Current is { } m && scope.Contains(PoolPath.Parse(m.Path)))
            .OrderBy(e => e.Current!.Path, StringComparer.Ordinal)
            .ToList();
        if (entries.Count == 0 && !scope.IsRoot)
        {
            throw PoolErrors.NotFound(scope);
        }

        var restored = new List<RepairReport>();
        var failed = new List<(string, string)>();
        var objects = 0;
        foreach (var entry in entries)
        {
            var path = PoolPath.Parse(entry.Current!.Path);
            using (await _locks.AcquireAsync([path.Value], cancellationToken))
            {
                try
                {
                    var current = entry.Current!;
                    CheckNoNewerRevision(entry, current);
                    var report = await RestoreAsync(current, entry, survey, c => OpenRead(current, c.Offset, c.Length, NullChunkCache.Instance, ReadPolicy.Direct), "rebuild", workers, progress, RemoteCallCount, cancellationToken);
                    objects += report.ChunksChecked;
                    if (!report.NothingToRepair)
                    {
                        restored.Add(report);
                    }
                }
                catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput)
                {
                    _logger.LogError("Rebuild of {Path} failed: {Error}", path, e.Message);
                    failed.Add((path.Value, e.Message));
                }
            }
        }

        return new RebuildReport
        {
            EntriesChecked = entries.Count,
            ObjectsChecked = objects,
            Restored = restored,
            Failed = failed,
            RemotesClaimed = claimed,
            RemoteCalls = (int)(RemoteCallCount - callsBefore),
        };
    }

    /// <summary>
    /// Writes this pool's descriptor on configured remotes that have none (a remote that came back empty, a replaced
    /// account), so rebuild can place objects there again. A remote that belongs to another pool is never written to.
    /// </summary>
    private async Task<IReadOnlyList<string>> ClaimEmptiedRemotesAsync(CancellationToken cancellationToken)
    {
        var descriptors = new PoolDescriptors(_store, Layout);
        var claimed = new List<string>();
        var still = new List<string>();
        foreach (var name in _unclaimed)
        {
            var remote = _remotesByName[name];
            PoolDescriptor? found;
            try
            {
                found = await descriptors.ReadAsync(remote, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                _logger.LogWarning("{Remote} does not answer ({Error}); it is left out of this rebuild.", name, e.Message);
                still.Add(name);
                continue;
            }

            if (found is not null && found.PoolId != PoolId)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{name} now belongs to pool {found.PoolId}, not {PoolId}; nothing was written to it. Point 'remotes' at this pool's remote or remove it from the config.");
            }

            if (found is null)
            {
                var descriptor = new PoolDescriptor { PoolId = PoolId, Remote = name, Created = _time.GetUtcNow() };
                await _store.WriteBytesAsync(Layout.Descriptor(remote), ManifestSerializer.Serialize(descriptor), cancellationToken);
                _logger.LogInformation("Took {Remote} back into pool {Pool}: it had no pool descriptor.", name, PoolId);
            }

            claimed.Add(name);
        }

        _unclaimed = still;
        return claimed;
    }
}
