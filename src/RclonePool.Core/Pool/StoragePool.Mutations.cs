using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool;

public sealed partial class StoragePool
{
    private const int MetadataParallelism = 8;

    private async Task DeleteCoreAsync(PoolPath path, bool recursive, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new PoolException(PoolErrorKind.BadInput, "Refusing to delete the pool root; delete the entries inside it instead.");
        }

        var manifest = await _index.GetAsync(path, cancellationToken);
        if (manifest is { Kind: EntryKind.File })
        {
            await DeleteEntryAsync(manifest, cancellationToken);
            return;
        }

        if (manifest is null && !await _index.ExistsAsync(path, cancellationToken))
        {
            throw PoolErrors.NotFound(path);
        }

        var descendants = await DescendantManifestsAsync(path, cancellationToken);
        if (descendants.Count > 0 && !recursive)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{path} is a directory that is not empty; use -r to delete it with everything inside.");
        }

        // Deepest first, so a crash leaves a consistent (if partial) tree.
        await Parallel.ForEachAsync(descendants.OrderByDescending(m => m.Path.Length), new ParallelOptions { MaxDegreeOfParallelism = MetadataParallelism, CancellationToken = cancellationToken }, async (m, ct) => await DeleteEntryAsync(m, ct));
        if (manifest is not null)
        {
            await DeleteEntryAsync(manifest, cancellationToken);
        }
    }

    private async Task MoveCoreAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken)
    {
        var source = await PrepareTransferAsync(from, to, cancellationToken);
        if (from == to)
        {
            return;
        }

        var target = await StatAsync(to, cancellationToken);
        var replaceFileAfter = false;
        if (target is not null)
        {
            if (!overwrite)
            {
                throw PoolErrors.Exists(to);
            }

            replaceFileAfter = !source.IsDirectory && !target.IsDirectory;
            if (!replaceFileAfter)
            {
                await DeleteCoreAsync(to, recursive: true, cancellationToken);
            }
        }

        var targetManifest = replaceFileAfter ? await _index.GetAsync(to, cancellationToken) : null;
        var own = await _index.GetAsync(from, cancellationToken);
        var moving = source.IsDirectory ? await DescendantManifestsAsync(from, cancellationToken) : [];
        if (own is not null)
        {
            moving.Add(own);
        }

        await Parallel.ForEachAsync(moving, new ParallelOptions { MaxDegreeOfParallelism = MetadataParallelism, CancellationToken = cancellationToken }, async (m, ct) =>
        {
            var newPath = from.Rebase(PoolPath.Parse(m.Path), to);
            await ReviseAsync(m, m with { Path = newPath.Value }, ct);
        });

        if (targetManifest is not null)
        {
            await DeleteEntryAsync(targetManifest, cancellationToken, alreadyUnindexed: true);
        }

        _logger.LogInformation("Moved {From} to {To}.", from, to);
    }

    private async Task CopyCoreAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken)
    {
        var source = await PrepareTransferAsync(from, to, cancellationToken);
        if (from == to)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"Cannot copy {from} onto itself.");
        }

        var target = await StatAsync(to, cancellationToken);
        if (target is not null)
        {
            if (!overwrite)
            {
                throw PoolErrors.Exists(to);
            }

            if (source.IsDirectory || target.IsDirectory)
            {
                await DeleteCoreAsync(to, recursive: true, cancellationToken);
            }
        }

        if (!source.IsDirectory)
        {
            await CopyFileAsync(from, to, cancellationToken);
            return;
        }

        await MkdirCoreAsync(to, cancellationToken);
        var own = await _index.GetAsync(from, cancellationToken);
        if (own?.Properties is { Count: > 0 } properties)
        {
            await SetPropertiesCoreAsync(to, properties.ToDictionary(p => p.Key, p => (string?)p.Value), cancellationToken);
        }

        foreach (var m in (await DescendantManifestsAsync(from, cancellationToken)).OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            var newPath = from.Rebase(PoolPath.Parse(m.Path), to);
            if (m.Kind == EntryKind.Directory)
            {
                await MkdirCoreAsync(newPath, cancellationToken);
            }
            else
            {
                await CopyFileAsync(PoolPath.Parse(m.Path), newPath, cancellationToken);
            }
        }
    }

    private async Task MkdirCoreAsync(PoolPath path, CancellationToken cancellationToken)
    {
        if (await StatAsync(path, cancellationToken) is not null)
        {
            throw PoolErrors.Exists(path);
        }

        var parent = await StatAsync(path.Parent, cancellationToken);
        if (parent is null)
        {
            throw new PoolException(PoolErrorKind.NotFound, $"Cannot create {path}: its parent {path.Parent} does not exist.");
        }

        if (!parent.IsDirectory)
        {
            throw PoolErrors.ParentIsFile(path, path.Parent);
        }

        var now = _time.GetUtcNow();
        var manifest = NewDirectoryManifest(path, now);
        await Manifests.WriteAsync(manifest, cancellationToken);
        await _index.PutAsync(manifest, cancellationToken);
    }

    private async Task SetPropertiesCoreAsync(PoolPath path, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        var manifest = await _index.GetAsync(path, cancellationToken);
        if (manifest is null)
        {
            if (!path.IsRoot && !await _index.ExistsAsync(path, cancellationToken))
            {
                throw PoolErrors.NotFound(path);
            }

            if (path.IsRoot)
            {
                throw new PoolException(PoolErrorKind.Conflict, "The pool root cannot carry properties.");
            }

            manifest = NewDirectoryManifest(path, _time.GetUtcNow());
            manifest = manifest with { Revision = 0 };
        }

        var properties = new Dictionary<string, string>(manifest.Properties ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                properties.Remove(name);
            }
            else
            {
                properties[name] = value;
            }
        }

        await ReviseAsync(manifest, manifest with { Properties = properties.Count == 0 ? null : properties }, cancellationToken);
    }

    /// <summary>Writes the next revision of an entry, indexes it, then removes the previous revision's manifests.</summary>
    private async Task ReviseAsync(Manifest current, Manifest changed, CancellationToken cancellationToken)
    {
        var next = changed with { Revision = current.Revision + 1, Written = _time.GetUtcNow() };
        await Manifests.WriteAsync(next, cancellationToken);
        await _index.PutAsync(next, cancellationToken);
        if (current.Revision > 0)
        {
            await Manifests.DeleteRevisionAsync(current.FileId, current.Revision, CancellationToken.None);
        }
    }

    /// <summary>Removes an entry: its manifests first (so nothing points at missing chunks), then its chunks.</summary>
    private async Task DeleteEntryAsync(Manifest manifest, CancellationToken cancellationToken, bool alreadyUnindexed = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Publish(PoolEventType.PreDelete, manifest);
        var removed = await Manifests.DeleteRevisionAsync(manifest.FileId, manifest.Revision, CancellationToken.None);
        if (!alreadyUnindexed)
        {
            await _index.RemoveAsync(manifest.FileId, CancellationToken.None);
        }

        // Chunks go only when no manifest copy is left to name them, and not while another file may share them.
        if (removed)
        {
            await ReleaseChunksAsync(manifest, manifest.Chunks.SelectMany(c => c.Locations).Select(l => (RemoteOf(l), l.Object)), manifest.Path);
        }
        else
        {
            _logger.LogWarning("A manifest copy of {Path} could not be removed, so its chunks are kept; delete it again when every remote answers.", manifest.Path);
        }

        Publish(PoolEventType.PostDelete, manifest);
        _logger.LogInformation("Deleted {Path}.", manifest.Path);
    }

    private async Task CopyFileAsync(PoolPath from, PoolPath to, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(from, cancellationToken);
        await using var source = OpenRead(manifest, 0, -1);
        var copied = await PutCoreAsync(to, source, manifest.Size, new PutOptions { Modified = manifest.Modified }, cancellationToken);
        if (manifest.Properties is { Count: > 0 } properties)
        {
            await SetPropertiesCoreAsync(copied.Path, properties.ToDictionary(p => p.Key, p => (string?)p.Value), cancellationToken);
        }
    }

    /// <summary>Common checks of move and copy; returns the source entry.</summary>
    private async Task<PoolEntry> PrepareTransferAsync(PoolPath from, PoolPath to, CancellationToken cancellationToken)
    {
        if (from.IsRoot || to.IsRoot)
        {
            throw new PoolException(PoolErrorKind.BadInput, "The pool root cannot be moved, copied or replaced.");
        }

        var source = await StatAsync(from, cancellationToken) ?? throw PoolErrors.NotFound(from);
        if (source.IsDirectory && from != to && from.Contains(to))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"Cannot put {from} inside itself ({to}).");
        }

        var parent = await StatAsync(to.Parent, cancellationToken);
        if (parent is { IsDirectory: false })
        {
            throw PoolErrors.ParentIsFile(to, to.Parent);
        }

        await EnsureNoFileAboveAsync(to, cancellationToken);
        return source;
    }

    /// <summary>Manifests (files and directory objects) strictly below a directory.</summary>
    private async Task<List<Manifest>> DescendantManifestsAsync(PoolPath directory, CancellationToken cancellationToken)
    {
        var result = new List<Manifest>();
        await foreach (var entry in _index.ListAsync(directory, recursive: true, cancellationToken))
        {
            if (entry.FileId is not null && await _index.GetByIdAsync(entry.FileId, cancellationToken) is { } manifest)
            {
                result.Add(manifest);
            }
        }

        return result;
    }

    private Manifest NewDirectoryManifest(PoolPath path, DateTimeOffset now) => new()
    {
        PoolId = PoolId,
        FileId = ManifestNames.NewId(),
        Kind = EntryKind.Directory,
        Path = path.Value,
        Created = now,
        Modified = now,
        Written = now,
    };
}
