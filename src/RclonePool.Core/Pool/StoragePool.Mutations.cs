using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool;

/// <summary>The mutations: each holds the in-process locks of the paths it changes, then does the work.</summary>
public sealed partial class StoragePool
{
    public async Task<PoolEntry> PutAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        Context.Traffic.Started(PoolOperation.Upload);
        using (await Context.Locks.AcquireAsync([path.Value], cancellationToken))
        {
            if (Context.Quota is null)
            {
                return await Writing.Uploader.PutAsync(path, content, length, options, cancellationToken);
            }

            var replaced = options.Overwrite && await Context.Index.GetAsync(path, cancellationToken) is { Kind: EntryKind.File } existing ? existing : null;
            await using var reservation = await Context.Quota.ReserveAsync(path, length, replaced is null ? 1 : 0, replaced?.Size ?? 0, cancellationToken);
            var stored = await Writing.Uploader.PutAsync(path, reservation.Watch(content, length), length, options, cancellationToken);
            reservation.Complete(stored.Size);
            return stored;
        }
    }

    public async Task DeleteAsync(PoolPath path, bool recursive, CancellationToken cancellationToken)
    {
        Context.Traffic.Started(PoolOperation.Delete);
        using (await Context.Locks.AcquireAsync([path.Value], cancellationToken))
        {
            await DeleteCoreAsync(path, recursive, cancellationToken);
        }
    }

    public async Task MoveAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken)
    {
        Context.Traffic.Started(PoolOperation.Move);
        using (await Context.Locks.AcquireAsync([from.Value, to.Value], cancellationToken))
        {
            await MoveCoreAsync(from, to, overwrite, cancellationToken);
        }
    }

    public async Task CopyAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken)
    {
        Context.Traffic.Started(PoolOperation.Copy);
        using (await Context.Locks.AcquireAsync([to.Value], cancellationToken))
        {
            if (Context.Quota is null)
            {
                await CopyCoreAsync(from, to, overwrite, cancellationToken);
                return;
            }

            // A copy adds what it copies; what it replaces is freed only afterwards (counted when the index says so).
            var (bytes, files) = await SizeOfAsync(from, cancellationToken);
            await using var reservation = await Context.Quota.ReserveAsync(to, bytes, files, 0, cancellationToken);
            await CopyCoreAsync(from, to, overwrite, cancellationToken);
            reservation.Complete(bytes);
        }
    }

    public async Task MkdirAsync(PoolPath path, CancellationToken cancellationToken)
    {
        Context.Traffic.Started(PoolOperation.Mkdir);
        using (await Context.Locks.AcquireAsync([path.Value], cancellationToken))
        {
            await MkdirCoreAsync(path, cancellationToken);
        }
    }

    /// <summary>
    /// Creates a directory object at each of <paramref name="directories"/> and at each missing parent (mkdir -p for a
    /// whole tree at once): a path where something exists already (a directory object, or a directory implied by an
    /// entry below it) is left alone; a file at one of the paths or above them is refused before anything is written.
    /// The new manifests are written together (with manifest packing, into a few packs per remote instead of one write
    /// per depth of the tree) and indexed together. A directory object written before its parent's is valid meanwhile:
    /// its parent is implied by it.
    /// </summary>
    public async Task MkdirAllAsync(IEnumerable<PoolPath> directories, CancellationToken cancellationToken) =>
        await await StartMkdirAllAsync(directories, cancellationToken);

    /// <summary>
    /// <see cref="MkdirAllAsync"/> in two steps: returns once every path is checked (a file in the way is refused here,
    /// before anything is written) with the task that writes the missing directory objects, so a caller can start
    /// other work beside the writes (<c>upload DIR</c> starts its files: a file implies its parents, and its manifest
    /// may share a pack with theirs). The paths stay locked until the writes end; the caller must await the task.
    /// </summary>
    public async Task<Task> StartMkdirAllAsync(IEnumerable<PoolPath> directories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var all = new SortedSet<PoolPath>();
        foreach (var directory in directories)
        {
            for (var p = directory; !p.IsRoot && all.Add(p); p = p.Parent)
            {
            }
        }

        if (all.Count == 0)
        {
            return Task.CompletedTask;
        }

        Context.Traffic.Started(PoolOperation.Mkdir);
        var held = await Context.Locks.AcquireAsync(all.Select(p => p.Value), cancellationToken);
        List<PoolPath> missing;
        try
        {
            missing = await MissingDirectoriesAsync(all, cancellationToken);
        }
        catch
        {
            held.Dispose();
            throw;
        }

        return WriteAsync();

        async Task WriteAsync()
        {
            using (held)
            {
                await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = DirectoriesInFlight, CancellationToken = cancellationToken }, async (path, ct) =>
                    await Writing.Revisions.CreateDirectoryAsync(path, ct));
            }
        }
    }

    /// <summary>The paths of <paramref name="all"/> where nothing exists; refuses when a file is at one of them.</summary>
    private async Task<List<PoolPath>> MissingDirectoriesAsync(SortedSet<PoolPath> all, CancellationToken cancellationToken)
    {
        var missing = new List<PoolPath>();
        foreach (var path in all)
        {
            var found = await Context.Index.LookupAsync(path, cancellationToken);
            if (found.Manifest is { Kind: not EntryKind.Directory })
            {
                var below = all.Where(p => p != path && path.Contains(p)).DefaultIfEmpty(path).First();
                throw PoolErrors.ParentIsFile(below, path);
            }

            if (!found.Exists)
            {
                missing.Add(path);
            }
        }

        return missing;
    }

    /// <summary>Directory objects <see cref="MkdirAllAsync"/> writes at once (their manifests share the calls, or packs, of each remote).</summary>
    private const int DirectoriesInFlight = 64;

    public async Task SetPropertiesAsync(PoolPath path, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        Context.Traffic.Started(PoolOperation.SetProperties);
        using (await Context.Locks.AcquireAsync([path.Value], cancellationToken))
        {
            await SetPropertiesCoreAsync(path, changes, cancellationToken);
        }
    }

    private async Task DeleteCoreAsync(PoolPath path, bool recursive, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new PoolException(PoolErrorKind.BadInput, "Refusing to delete the pool root; delete the entries inside it instead.");
        }

        var manifest = await Context.Index.GetAsync(path, cancellationToken);
        if (manifest is { Kind: EntryKind.File })
        {
            await Writing.Revisions.DeleteAsync(manifest, cancellationToken);
            return;
        }

        if (manifest is null && !await Context.Index.ExistsAsync(path, cancellationToken))
        {
            throw PoolErrors.NotFound(path);
        }

        var descendants = await DescendantManifestsAsync(path, cancellationToken);
        if (descendants.Count > 0 && !recursive)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{path} is a directory that is not empty; use -r to delete it with everything inside.");
        }

        // Deepest first, so a crash leaves a consistent (if partial) tree.
        await Parallel.ForEachAsync(descendants.OrderByDescending(m => m.Path.Length), new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism, CancellationToken = cancellationToken }, async (m, ct) => await Writing.Revisions.DeleteAsync(m, ct));
        if (manifest is not null)
        {
            await Writing.Revisions.DeleteAsync(manifest, cancellationToken);
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

        var targetManifest = replaceFileAfter ? await Context.Index.GetAsync(to, cancellationToken) : null;
        var own = await Context.Index.GetAsync(from, cancellationToken);
        var moving = source.IsDirectory ? await DescendantManifestsAsync(from, cancellationToken) : [];
        if (own is not null)
        {
            moving.Add(own);
        }

        await Parallel.ForEachAsync(moving, new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism, CancellationToken = cancellationToken }, async (m, ct) =>
        {
            var newPath = from.Rebase(PoolPath.Parse(m.Path), to);
            await Writing.Revisions.ReviseAsync(m, m with { Path = newPath.Value }, ct);
        });

        if (targetManifest is not null)
        {
            await Writing.Revisions.DeleteAsync(targetManifest, cancellationToken, alreadyUnindexed: true);
        }

        Context.Logger.LogInformation("Moved {From} to {To}.", from, to);
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
        var own = await Context.Index.GetAsync(from, cancellationToken);
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

        await Writing.Revisions.CreateDirectoryAsync(path, cancellationToken);
    }

    private async Task SetPropertiesCoreAsync(PoolPath path, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        var manifest = await Context.Index.GetAsync(path, cancellationToken);
        if (manifest is null)
        {
            if (!path.IsRoot && !await Context.Index.ExistsAsync(path, cancellationToken))
            {
                throw PoolErrors.NotFound(path);
            }

            if (path.IsRoot)
            {
                throw new PoolException(PoolErrorKind.Conflict, "The pool root cannot carry properties.");
            }

            manifest = Writing.Revisions.NewDirectory(path) with { Revision = 0 };
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

        await Writing.Revisions.ReviseAsync(manifest, manifest with { Properties = properties.Count == 0 ? null : properties }, cancellationToken);
    }

    private async Task CopyFileAsync(PoolPath from, PoolPath to, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(from, cancellationToken);
        await using var source = Reader.Open(manifest, 0, -1);
        var copied = await Writing.Uploader.PutAsync(to, source, manifest.Size, new PutOptions { Modified = manifest.Modified }, cancellationToken);
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

        await Writing.Uploader.EnsureNoFileAboveAsync(to, cancellationToken);
        return source;
    }

    /// <summary>The logical bytes and files at <paramref name="path"/>: a file's own, or a directory's whole subtree.</summary>
    private async Task<(long Bytes, long Files)> SizeOfAsync(PoolPath path, CancellationToken cancellationToken)
    {
        if (await Context.Index.GetAsync(path, cancellationToken) is { Kind: EntryKind.File } file)
        {
            return (file.Size, 1);
        }

        long bytes = 0, files = 0;
        await foreach (var entry in Context.Index.ListAsync(path, recursive: true, cancellationToken))
        {
            if (entry.Kind == EntryKind.File)
            {
                bytes += entry.Size;
                files++;
            }
        }

        return (bytes, files);
    }

    /// <summary>Manifests (files and directory objects) strictly below a directory.</summary>
    private async Task<List<Manifest>> DescendantManifestsAsync(PoolPath directory, CancellationToken cancellationToken)
    {
        var result = new List<Manifest>();
        await foreach (var entry in Context.Index.ListAsync(directory, recursive: true, cancellationToken))
        {
            if (entry.FileId is not null && await Context.Index.GetByIdAsync(entry.FileId, cancellationToken) is { } manifest)
            {
                result.Add(manifest);
            }
        }

        return result;
    }
}
