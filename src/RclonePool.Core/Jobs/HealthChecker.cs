using System.Collections.Concurrent;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Jobs;

/// <summary>The <c>health</c> job (docs/redundancy.md, "Health"): how much redundancy every file has left.</summary>
public sealed class HealthChecker(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>
    /// How much redundancy every file in <paramref name="scope"/> has left (docs/redundancy.md, "Health"): one listing
    /// of the manifest directory and one recursive listing of the data directory per remote, then each stored object
    /// checked by its listed size (and, when <see cref="HealthOptions.Deep"/>, read and checked against its hashes).
    /// Never a remote call per chunk otherwise. A remote that cannot be listed counts its objects as unavailable.
    /// Publishes HEALTH_CHECKED with the summary.
    /// </summary>
    public async Task<HealthReport> CheckAsync(PoolPath scope, HealthOptions options, CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        var survey = await _pool.SurveyAsync(new SurveyOptions
        {
            ListData = true,
            PreferIndex = !options.Deep,
            AllCopies = options.Deep,
            Scope = scope,
        }, cancellationToken);

        var manifestDamage = new ConcurrentBag<Damage>();
        var current = ManifestChecks.Check(survey, scope, manifestDamage);
        var files = current.Where(m => m.Kind == EntryKind.File).OrderBy(m => m.Path, StringComparer.Ordinal).ToList();
        if (current.Count == 0 && !scope.IsRoot && !await _pool.Index.ExistsAsync(scope, cancellationToken))
        {
            throw PoolErrors.NotFound(scope);
        }

        var check = new ObjectHealth(files);
        var bytes = await CheckObjectsAsync(survey, check, options, cancellationToken);

        var unreadable = manifestDamage.Where(d => d.Path is null).OrderBy(d => d.FileId, StringComparer.Ordinal).ToList();
        var manifestProblems = manifestDamage.Where(d => d.Path is not null)
            .OrderBy(d => d.Path, StringComparer.Ordinal).ThenBy(d => d.Remote, StringComparer.Ordinal).ToList();
        var report = new HealthReport
        {
            Scope = scope.Value,
            Deep = options.Deep,
            Files = [.. files.Select(check.Assess)],
            Remotes = [.. survey.Remotes.Select(r => check.RemoteHealth(r, manifestProblems.Count(d => d.Remote == r.Remote.Name)))],
            Directories = current.Count(m => m.Kind == EntryKind.Directory),
            ManifestProblems = manifestProblems,
            UnreadableEntries = unreadable,
            ObjectsChecked = check.Objects,
            BytesRead = bytes,
            RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore),
        };

        _pool.Events.Publish(new PoolEvent
        {
            Type = PoolEventType.HealthChecked,
            Path = scope.Value,
            Operation = options.Deep ? "health --deep" : "health",
            Bytes = bytes,
            Detail = report.Summary(),
        });
        return report;
    }

    /// <summary>Checks every location of the files: listed, right size, and (deep) intact; returns bytes read.</summary>
    private async Task<long> CheckObjectsAsync(PoolSurvey survey, ObjectHealth check, HealthOptions options, CancellationToken cancellationToken)
    {
        var inventories = survey.Remotes.ToDictionary(r => r.Remote.Name, StringComparer.Ordinal);
        var reads = new List<(Manifest Manifest, int Chunk, int Location)>();
        foreach (var manifest in check.Manifests)
        {
            for (var c = 0; c < manifest.Chunks.Count; c++)
            {
                var chunk = manifest.Chunks[c];
                for (var i = 0; i < chunk.Locations.Count; i++)
                {
                    var location = chunk.Locations[i];
                    if (!inventories.TryGetValue(location.Remote, out var inventory))
                    {
                        check.Unreachable(manifest, location.Remote, "its manifest names this remote, which is not in the config's 'remotes'");
                    }
                    else if (!inventory.Listed)
                    {
                        check.Unreachable(manifest, location.Remote, $"the remote could not be listed ({inventory.Error})");
                    }
                    else if (!inventory.Data!.TryGetValue(location.Object, out var listed))
                    {
                        check.Found(manifest, c, i, DamageKind.Missing, "the object does not exist");
                    }
                    else if (ChunkCheck.BySize(chunk, location, listed.Size) is { } bySize)
                    {
                        check.Found(manifest, c, i, bySize.Kind, bySize.Detail);
                    }
                    else if (options.Deep)
                    {
                        reads.Add((manifest, c, i));
                    }
                    else
                    {
                        check.Available(manifest, c, i);
                    }
                }
            }
        }

        long bytes = 0;
        await Parallel.ForEachAsync(reads, new ParallelOptions { MaxDegreeOfParallelism = await _pool.WorkersAsync(options.Workers, reads.Count, cancellationToken), CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (manifest, c, i) = item;
            var chunk = manifest.Chunks[c];
            var location = chunk.Locations[i];
            try
            {
                var path = _pool.PathOf(location);
                var result = await ChunkCheck.ByContentAsync(_pool.Store, path, manifest, chunk, location, n =>
                {
                    var done = Interlocked.Add(ref bytes, n);
                    options.Progress?.Report(done);
                }, ct);
                if (result is { } found)
                {
                    check.Found(manifest, c, i, found.Kind, found.Detail);
                }
                else
                {
                    check.Available(manifest, c, i);
                }
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                check.Found(manifest, c, i, DamageKind.Unreachable, $"it could not be read ({e.Message})");
            }
        });

        return bytes;
    }
}
