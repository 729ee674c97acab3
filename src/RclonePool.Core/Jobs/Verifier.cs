using System.Collections.Concurrent;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>The <c>verify</c> job (docs/operations.md): checks the pool, or one file or directory, against the remotes.</summary>
public sealed class Verifier(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>
    /// Checks the pool (or one file or directory) against the remotes: the manifests of every entry on every remote
    /// (missing, stale or damaged copies), every chunk object (missing, truncated, corrupt), and the local index
    /// against the manifests. Quick: sizes from one listing per remote. Full: every chunk streamed and hashed, in
    /// parallel, one small buffer per worker. Publishes FILE_VERIFIED per file and CHUNK_MISSING per missing chunk.
    /// </summary>
    public async Task<VerifyReport> VerifyAsync(VerifyOptions options, CancellationToken cancellationToken)
    {
        var scope = options.Scope;
        var callsBefore = _pool.RemoteCallCount;
        var survey = await _pool.SurveyAsync(new SurveyOptions
        {
            ListData = true,
            AllCopies = !options.Quick,
            PreferIndex = options.Quick,
            // A quick check looks at chunk lengths and locations only: the lean manifests are enough (and a fraction of the memory).
            Lean = options.Quick,
            Scope = scope,
        }, cancellationToken);

        var damage = new ConcurrentBag<Damage>();
        foreach (var remote in survey.Remotes.Where(r => !r.Listed))
        {
            damage.Add(new Damage { Kind = DamageKind.Unreachable, Remote = remote.Remote.Name, Detail = $"it could not be listed, so nothing on it was checked ({remote.Error})" });
        }

        var manifests = ManifestChecks.Check(survey, scope, damage);
        await CheckIndexAsync(survey, scope, manifests, damage, cancellationToken);
        if (manifests.Count == 0 && !scope.IsRoot && !await _pool.Index.ExistsAsync(scope, cancellationToken))
        {
            throw PoolErrors.NotFound(scope);
        }

        var (chunks, bytes, _) = await CheckChunksAsync(survey, manifests.Where(m => m.Kind == EntryKind.File).ToList(), options, damage, cancellationToken);
        return new VerifyReport
        {
            Quick = options.Quick,
            Scope = scope.Value,
            Files = manifests.Count(m => m.Kind == EntryKind.File),
            Directories = manifests.Count(m => m.Kind == EntryKind.Directory),
            Chunks = chunks,
            BytesRead = bytes,
            RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore),
            Damage = [.. damage.OrderBy(d => d.Path ?? d.FileId ?? "", StringComparer.Ordinal).ThenBy(d => d.Chunk ?? -1).ThenBy(d => d.Kind).ThenBy(d => d.Remote, StringComparer.Ordinal)],
        };
    }

    /// <summary>Entries where the local index (what ls shows) disagrees with the remotes.</summary>
    private async Task CheckIndexAsync(PoolSurvey survey, PoolPath scope, List<Manifest> current, ConcurrentBag<Damage> damage, CancellationToken cancellationToken)
    {
        var onRemotes = survey.Entries.Where(e => e.Read || e.Current is not null).ToDictionary(e => e.FileId, StringComparer.Ordinal);
        var indexed = new Dictionary<string, (string Path, long Revision)>(StringComparer.Ordinal);
        if (await _pool.Index.GetAsync(scope, cancellationToken) is { } own)
        {
            indexed[own.FileId] = (own.Path, own.Revision);
        }

        await foreach (var item in _pool.Index.ListAsync(scope, recursive: true, cancellationToken))
        {
            if (item.FileId is not null)
            {
                indexed[item.FileId] = (item.Path, item.Revision);
            }
        }

        foreach (var (fileId, (path, revision)) in indexed)
        {
            if (!survey.AllListed && !onRemotes.ContainsKey(fileId))
            {
                continue; // the one remote that was not listed might hold it
            }

            if (!onRemotes.TryGetValue(fileId, out var entry))
            {
                damage.Add(new Damage { Kind = DamageKind.IndexStale, Path = path, FileId = fileId, Detail = "ls shows it, but no remote holds a manifest of it; 'rclonepool index rebuild' removes it" });
            }
            else if (entry.Current is { } manifest && manifest.Revision != revision)
            {
                damage.Add(new Damage
                {
                    Kind = DamageKind.IndexStale,
                    Path = path,
                    FileId = fileId,
                    Detail = $"ls shows revision {revision}{(manifest.Path == path ? "" : $" at {path}")}, the remotes hold revision {manifest.Revision} ({manifest.Path}); 'rclonepool index rebuild' catches up",
                });
            }
        }

        foreach (var manifest in current.Where(m => !indexed.ContainsKey(m.FileId)))
        {
            damage.Add(new Damage
            {
                Kind = DamageKind.IndexStale,
                Path = manifest.Path,
                FileId = manifest.FileId,
                Detail = $"the remotes hold it (revision {manifest.Revision}) but ls does not show it; 'rclonepool index rebuild' adds it",
            });
        }
    }

    /// <summary>Checks every chunk location of the files; returns chunks checked, bytes read and remote reads.</summary>
    private async Task<(int Chunks, long Bytes, int Reads)> CheckChunksAsync(PoolSurvey survey, List<Manifest> files, VerifyOptions options, ConcurrentBag<Damage> damage, CancellationToken cancellationToken)
    {
        var inventories = survey.Remotes.ToDictionary(r => r.Remote.Name, StringComparer.Ordinal);
        var work = files.SelectMany(m => m.Chunks.SelectMany(c => c.Locations.Select(l => (Manifest: m, Chunk: c, Location: l)))).ToList();
        var remaining = files.ToDictionary(m => m.FileId, m => m.Chunks.Sum(c => c.Locations.Count), StringComparer.Ordinal);
        var damaged = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long bytes = 0;
        int chunks = 0, reads = 0;

        void Found(Manifest m, ChunkEntry c, ChunkLocation l, DamageKind kind, string detail)
        {
            damage.Add(new Damage { Kind = kind, Path = m.Path, FileId = m.FileId, Chunk = c.Index, Remote = l.Remote, Object = l.Object, Detail = detail });
            damaged.AddOrUpdate(m.FileId, 1, (_, n) => n + 1);
            if (kind == DamageKind.Missing)
            {
                _pool.Events.Publish(new PoolEvent { Type = PoolEventType.ChunkMissing, Path = m.Path, Chunk = c.Index, Remote = l.Remote, Object = l.Object, Operation = "verify", Detail = detail });
            }
        }

        void Done(Manifest m)
        {
            lock (remaining)
            {
                if (--remaining[m.FileId] > 0)
                {
                    return;
                }
            }

            var problems = damaged.GetValueOrDefault(m.FileId);
            _pool.Events.Publish(new PoolEvent
            {
                Type = PoolEventType.FileVerified,
                Path = m.Path,
                Bytes = m.Size,
                Operation = options.Quick ? "verify --quick" : "verify",
                Detail = problems == 0 ? "intact" : $"damaged ({problems} problem{(problems == 1 ? "" : "s")})",
            });
        }

        // Files with no chunk object (empty, or small enough to live inside their manifest): their data is checked here.
        foreach (var m in files.Where(m => remaining[m.FileId] == 0))
        {
            var bad = m.Chunks.FirstOrDefault(c => c.Inline is { } inline && !string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(inline))), c.Sha256, StringComparison.Ordinal));
            if (bad is not null)
            {
                damage.Add(new Damage { Kind = DamageKind.Corrupt, Path = m.Path, FileId = m.FileId, Chunk = bad.Index, Detail = "the data held in its manifest does not match its SHA-256" });
            }

            _pool.Events.Publish(new PoolEvent { Type = PoolEventType.FileVerified, Path = m.Path, Bytes = m.Size, Operation = "verify", Detail = bad is null ? "intact" : "damaged (1 problem)" });
        }

        // Chunks on remotes that could not be listed are summed up per file and remote, not reported one by one.
        foreach (var group in work.Where(w => !inventories.TryGetValue(w.Location.Remote, out var i) || !i.Listed).GroupBy(w => (w.Manifest.FileId, w.Location.Remote)))
        {
            var (m, _, l) = group.First();
            damage.Add(new Damage
            {
                Kind = DamageKind.Unreachable,
                Path = m.Path,
                FileId = m.FileId,
                Remote = l.Remote,
                Detail = inventories.ContainsKey(l.Remote)
                    ? $"{group.Count()} chunk{(group.Count() == 1 ? "" : "s")} on this remote could not be checked"
                    : "its manifest names this remote, which is not in the config's 'remotes'",
            });
        }

        var workers = options.Quick ? 1 : await _pool.WorkersAsync(options.Workers, cancellationToken);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (m, c, l) = item;
            try
            {
                if (!inventories.TryGetValue(l.Remote, out var inventory) || !inventory.Listed)
                {
                    return;
                }

                Interlocked.Increment(ref chunks);
                if (!inventory.Data!.TryGetValue(l.Object, out var listedEntry))
                {
                    Found(m, c, l, DamageKind.Missing, "the object does not exist");
                    return;
                }

                if (ChunkCheck.BySize(c, l, listedEntry.Size) is { } bySize)
                {
                    Found(m, c, l, bySize.Kind, bySize.Detail);
                    return;
                }

                if (options.Quick)
                {
                    return;
                }

                Interlocked.Increment(ref reads);
                var remote = _pool.RemoteOf(l);
                try
                {
                    var result = await ChunkCheck.ByContentAsync(_pool.Store, new RemotePath(remote.Storage, l.Object), m, c, l, n =>
                    {
                        var done = Interlocked.Add(ref bytes, n);
                        options.Progress?.Report(done);
                    }, ct);
                    if (result is { } found)
                    {
                        Found(m, c, l, found.Kind, found.Detail);
                    }
                }
                catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
                {
                    damage.Add(new Damage { Kind = DamageKind.Unreachable, Path = m.Path, FileId = m.FileId, Chunk = c.Index, Remote = l.Remote, Object = l.Object, Detail = $"it could not be read ({e.Message})" });
                }

                if (_pool.Events.HasSubscribers)
                {
                    _pool.Events.Publish(new PoolEvent { Type = PoolEventType.Progress, Operation = "verify", Path = m.Path, Chunk = c.Index, Bytes = Interlocked.Read(ref bytes) });
                }
            }
            finally
            {
                Done(m);
            }
        });

        return (chunks, bytes, reads);
    }
}
