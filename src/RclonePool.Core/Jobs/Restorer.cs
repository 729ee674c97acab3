using Microsoft.Extensions.Logging;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Restores what was lost or damaged: <c>repair</c> from a local copy of one file, <c>rebuild</c> of the whole pool
/// (or a directory) from the pool itself. One engine for both (docs/redundancy.md): every stored object of a file is
/// checked; a missing or damaged copy or shard is written again on a remote that holds no other object of its chunk,
/// read back, and recorded in a new manifest revision on every remote. Idempotent, and safe to interrupt: nothing is
/// named by a manifest before it was written and checked.
/// </summary>
public sealed class Restorer(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;
    private readonly PoolReader _reader = owner.Reader;
    private readonly FileRestore _files = new(owner.Context, owner.Writing);

    public async Task<RebuildReport> RestoreRedundancyAsync(PoolPath scope, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        var claimed = await ClaimEmptiedRemotesAsync(cancellationToken);
        var survey = await _pool.SurveyAsync(new SurveyOptions { Scope = scope.IsRoot ? null : scope, AllCopies = true }, cancellationToken);
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
            using (await _pool.Locks.AcquireAsync([path.Value], cancellationToken))
            {
                try
                {
                    var current = entry.Current!;
                    CheckNoNewerRevision(entry, current);
                    var report = await _files.RestoreAsync(current, entry, survey, c => _reader.OpenDirect(current, c.Offset, c.Length), "rebuild", workers, progress, _pool.RemoteCallCount, cancellationToken);
                    objects += report.ChunksChecked;
                    if (!report.NothingToRepair)
                    {
                        restored.Add(report);
                    }
                }
                catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput)
                {
                    _pool.Logger.LogError("Rebuild of {Path} failed: {Error}", path, e.Message);
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
            RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore),
        };
    }

    /// <summary>
    /// Writes this pool's descriptor on configured remotes that have none (a remote that came back empty, a replaced
    /// account), so rebuild can place objects there again. A remote that belongs to another pool is never written to.
    /// </summary>
    private async Task<IReadOnlyList<string>> ClaimEmptiedRemotesAsync(CancellationToken cancellationToken)
    {
        var descriptors = new PoolDescriptors(_pool.Store, _pool.Layout);
        var claimed = new List<string>();
        var still = new List<string>();
        foreach (var name in _pool.Unclaimed.Names)
        {
            var remote = _pool.Remote(name);
            PoolDescriptor? found;
            try
            {
                found = await descriptors.ReadAsync(remote, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                _pool.Logger.LogWarning("{Remote} does not answer ({Error}); it is left out of this rebuild.", name, e.Message);
                still.Add(name);
                continue;
            }

            if (found is not null && found.PoolId != _pool.PoolId)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{name} now belongs to pool {found.PoolId}, not {_pool.PoolId}; nothing was written to it. Point 'remotes' at this pool's remote or remove it from the config.");
            }

            if (found is null)
            {
                var descriptor = new PoolDescriptor { PoolId = _pool.PoolId, Remote = name, Created = _pool.Time.GetUtcNow() };
                await _pool.Store.WriteBytesAsync(_pool.Layout.Descriptor(remote), ManifestSerializer.Serialize(descriptor), cancellationToken);
                _pool.Logger.LogInformation("Took {Remote} back into pool {Pool}: it had no pool descriptor.", name, _pool.PoolId);
            }

            claimed.Add(name);
        }

        _pool.Unclaimed.StillUnclaimed(still);
        return claimed;
    }


    /// <summary>
    /// Repairs one file from a local copy: refuses a copy whose SHA-256 differs from the manifest's, reads and checks
    /// every chunk object, rewrites only the missing or damaged ones under fresh object ids (verified after writing),
    /// records them in a new manifest revision on every remote, then removes the older revisions and the damaged
    /// objects. Missing or damaged manifest copies are written again. Publishes FILE_REPAIRED.
    /// </summary>
    public async Task<RepairReport> RepairAsync(PoolPath path, string localSource, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using (await _pool.Locks.AcquireAsync([path.Value], cancellationToken))
        {
            return await RepairCoreAsync(path, localSource, workers, progress, cancellationToken);
        }
    }

    private async Task<RepairReport> RepairCoreAsync(PoolPath path, string localSource, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        await using var local = OpenLocalCopy(localSource, path);
        var (current, entry, survey) = await SurveyFileAsync(path, $"upload the local copy again ('rclonepool upload {localSource} {path}')", cancellationToken);
        await CheckLocalCopyAsync(local, localSource, current, cancellationToken);
        var handle = local.SafeFileHandle;
        return await _files.RestoreAsync(current, entry, survey, c => new FileRangeStream(handle, c.Offset, c.Length), "repair", workers, progress, callsBefore, cancellationToken);
    }

    /// <summary>The current revision of a file as the remotes hold it, with its survey entry (every copy read).</summary>
    private async Task<(Manifest Current, SurveyedEntry Entry, PoolSurvey Survey)> SurveyFileAsync(PoolPath path, string otherwise, CancellationToken cancellationToken)
    {
        var indexed = await _pool.Index.GetAsync(path, cancellationToken);
        if (indexed is { Kind: EntryKind.Directory } || (indexed is null && (path.IsRoot || await _pool.Index.ExistsAsync(path, cancellationToken))))
        {
            throw PoolErrors.IsDirectory(path);
        }

        var survey = await _pool.SurveyAsync(new SurveyOptions { FileId = indexed?.FileId, Scope = path, AllCopies = true }, cancellationToken);
        var entry = survey.Entries.FirstOrDefault(e => e.Current is { Kind: EntryKind.File } m && m.Path == path.Value && (indexed is null || m.FileId == indexed.FileId));
        if (entry?.Current is not { } current)
        {
            throw indexed is null
                ? PoolErrors.NotFound(path)
                : new PoolException(PoolErrorKind.Integrity, $"No remote holds a readable manifest of {path}, so it cannot be restored in place; {otherwise}.");
        }

        CheckNoNewerRevision(entry, current);
        return (current, entry, survey);
    }

    /// <summary>A garbage newer revision (a torn write) is superseded by a repair; one from a newer rclonepool is not ours to hide.</summary>
    private static void CheckNoNewerRevision(SurveyedEntry entry, Manifest current)
    {
        if (entry.Unreadable.FirstOrDefault(u => u.Revision > current.Revision && u.Newer) is { Reason: not null } newer)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"Revision {newer.Revision} of {current.Path} cannot be read ({newer.Reason}); restoring revision {current.Revision} would hide it. Nothing was changed; remove the damaged manifest or use the rclonepool that wrote it.");
        }
    }

    private static FileStream OpenLocalCopy(string localSource, PoolPath path)
    {
        if (Directory.Exists(localSource))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{localSource} is a directory; give the local copy of the file {path}.");
        }

        if (!File.Exists(localSource))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} does not exist; check the path.");
        }

        try
        {
            return new FileStream(localSource, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} cannot be read (permission denied); nothing was changed.", e);
        }
        catch (IOException e)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} cannot be read ({e.Message}); nothing was changed.", e);
        }
    }

    /// <summary>Refuses a local copy that is not the content the manifest records.</summary>
    private static async Task CheckLocalCopyAsync(FileStream local, string localSource, Manifest current, CancellationToken cancellationToken)
    {
        if (local.Length != current.Size)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} has {local.Length} bytes but {current.Path} has {current.Size}: it is not the same file. Nothing was changed.");
        }

        var sha256 = await FileRangeHash.Sha256Async(local.SafeFileHandle, 0, local.Length, cancellationToken);
        if (!string.Equals(sha256, current.Sha256, StringComparison.Ordinal))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} is not the content of {current.Path} (SHA-256 {sha256[..16]}… where the manifest records {current.Sha256![..16]}…). Nothing was changed; give the file that was uploaded.");
        }
    }

}
