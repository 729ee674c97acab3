using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Tests.Integration.Support;

/// <summary>
/// A pool façade held in memory, following the <see cref="IPoolFileSystem"/> contract: parents are implied by files
/// and directory objects below them, a PUT is all or nothing (a short or failed body stores nothing and keeps the old
/// version), overwrites keep dead properties, moves and copies carry them. For front-end tests only.
/// </summary>
public sealed class InMemoryPoolFileSystem : IPoolFileSystem
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PoolPath, Node> _nodes = [];
    private readonly TimeProvider _time;
    private long _nextId;

    public InMemoryPoolFileSystem(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var now = _time.GetUtcNow();
        _nodes[PoolPath.Root] = new Node(EntryKind.Directory, [], now, now, NewId(), 1, [], null);
    }

    /// <summary>Bytes the pool may hold in total; null for unlimited (then <see cref="FreeBytesAsync"/> reports null).</summary>
    public long? Capacity { get; set; }

    /// <summary>Wraps every stream <see cref="OpenReadAsync"/> returns (to observe or slow reads); null for none.</summary>
    public Func<Stream, CancellationToken, Stream>? ReadWrapper { get; set; }

    /// <summary>Raised when a PUT ends, stored or not (the exception is null when it was stored).</summary>
    public event Action<PoolPath, Exception?>? PutFinished;

    /// <summary>Count of files (not directories) held.</summary>
    public int FileCount
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Values.Count(n => n.Kind == EntryKind.File);
            }
        }
    }

    public ValueTask<PoolEntry?> StatAsync(PoolPath path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(StatLocked(path));
        }
    }

    public async IAsyncEnumerable<PoolEntry> ListAsync(PoolPath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<PoolEntry> entries;
        lock (_gate)
        {
            var self = StatLocked(directory) ?? throw NotFound(directory);
            if (!self.IsDirectory)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"{directory} is a file, not a directory.");
            }

            var paths = new HashSet<PoolPath>();
            foreach (var path in _nodes.Keys.Where(p => p != directory && directory.Contains(p)))
            {
                // Every level between the directory and the node exists (explicitly or implied).
                for (var current = path; current != directory; current = current.Parent)
                {
                    if (recursive || current.Parent == directory)
                    {
                        paths.Add(current);
                    }
                }
            }

            entries = paths.Order().Select(p => StatLocked(p)!).ToList();
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask;
    }

    public async Task<PoolEntry> PutAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await PutCoreAsync(path, content, length, options, cancellationToken);
            PutFinished?.Invoke(path, null);
            return stored;
        }
        catch (Exception e)
        {
            PutFinished?.Invoke(path, e);
            throw;
        }
    }

    private async Task<PoolEntry> PutCoreAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CheckPutTarget(path, options.Overwrite);
            if (length > 0 && Capacity is { } capacity && UsedLocked() - SizeLocked(path) + length > capacity)
            {
                throw new PoolException(PoolErrorKind.NoSpace, $"The pool has no room for {length} more bytes.");
            }
        }

        // Read the whole body before anything becomes visible: a failed or short body stores nothing.
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (length >= 0 && buffer.Length != length)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{path}: expected {length} bytes, received {buffer.Length}.");
        }

        var data = buffer.ToArray();
        lock (_gate)
        {
            CheckPutTarget(path, options.Overwrite);
            if (Capacity is { } capacity && UsedLocked() - SizeLocked(path) + data.Length > capacity)
            {
                throw new PoolException(PoolErrorKind.NoSpace, $"The pool has no room for {data.Length} more bytes.");
            }

            var now = _time.GetUtcNow();
            var modified = options.Modified ?? now;
            var sha = Convert.ToHexStringLower(SHA256.HashData(data));
            _nodes[path] = _nodes.TryGetValue(path, out var old)
                ? old with { Data = data, Modified = modified, Revision = old.Revision + 1, Sha256 = sha }
                : new Node(EntryKind.File, data, now, modified, NewId(), 1, [], sha);
            options.Progress?.Report(data.Length);
            return StatLocked(path)!;
        }
    }

    public Task<Stream> OpenReadAsync(PoolPath path, long offset, long count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var node = _nodes.GetValueOrDefault(path);
            if (node is null)
            {
                throw StatLocked(path) is null ? NotFound(path) : new PoolException(PoolErrorKind.BadInput, $"{path} is a directory.");
            }

            if (node.Kind == EntryKind.Directory)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"{path} is a directory.");
            }

            if (offset < 0 || offset > node.Data.Length)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"{path}: offset {offset} is beyond its {node.Data.Length} bytes.");
            }

            var available = node.Data.Length - offset;
            var take = count < 0 ? available : Math.Min(count, available);
            Stream stream = new MemoryStream(node.Data, (int)offset, (int)take, writable: false);
            return Task.FromResult(ReadWrapper is { } wrap ? wrap(stream, cancellationToken) : stream);
        }
    }

    public Task DeleteAsync(PoolPath path, bool recursive, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (path.IsRoot)
            {
                throw new PoolException(PoolErrorKind.BadInput, "The root cannot be deleted.");
            }

            var entry = StatLocked(path) ?? throw NotFound(path);
            var below = _nodes.Keys.Where(p => p != path && path.Contains(p)).ToList();
            if (entry.IsDirectory && below.Count > 0 && !recursive)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{path} is not empty.");
            }

            _nodes.Remove(path);
            below.ForEach(p => _nodes.Remove(p));
            return Task.CompletedTask;
        }
    }

    public Task MoveAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken) => Transfer(from, to, overwrite, move: true);

    public Task CopyAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken) => Transfer(from, to, overwrite, move: false);

    public Task MkdirAsync(PoolPath path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (StatLocked(path) is not null)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{path} already exists.");
            }

            if (StatLocked(path.Parent) is not { IsDirectory: true })
            {
                throw new PoolException(PoolErrorKind.NotFound, $"The parent directory {path.Parent} does not exist.");
            }

            var now = _time.GetUtcNow();
            _nodes[path] = new Node(EntryKind.Directory, [], now, now, NewId(), 1, [], null);
            return Task.CompletedTask;
        }
    }

    public Task SetPropertiesAsync(PoolPath path, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var entry = StatLocked(path) ?? throw NotFound(path);
            if (!_nodes.TryGetValue(path, out var node))
            {
                // An implied directory becomes a directory object to hold its properties.
                node = new Node(EntryKind.Directory, [], entry.Created, entry.Modified, NewId(), 1, [], null);
            }

            var properties = new Dictionary<string, string>(node.Properties);
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    properties.Remove(key);
                }
                else
                {
                    properties[key] = value;
                }
            }

            _nodes[path] = node with { Properties = properties, Revision = node.Kind == EntryKind.Directory ? node.Revision + 1 : node.Revision };
            return Task.CompletedTask;
        }
    }

    public ValueTask<long?> FreeBytesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Capacity is { } capacity ? Math.Max(0, capacity - UsedLocked()) : (long?)null);
        }
    }

    /// <summary>The stored bytes of a file, for assertions.</summary>
    public byte[]? ReadAll(PoolPath path)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(path, out var node) && node.Kind == EntryKind.File ? node.Data : null;
        }
    }

    private Task Transfer(PoolPath from, PoolPath to, bool overwrite, bool move)
    {
        lock (_gate)
        {
            var source = StatLocked(from) ?? throw NotFound(from);
            if (from.Contains(to))
            {
                throw new PoolException(PoolErrorKind.BadInput, $"{to} lies inside {from}.");
            }

            var existing = StatLocked(to);
            if (existing is not null && !overwrite)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{to} already exists.");
            }

            if (AncestorFileLocked(to) is { } file)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{file} is a file, so {to} cannot be created below it.");
            }

            var moving = _nodes.Where(n => from.Contains(n.Key)).ToList();
            if (existing is not null)
            {
                foreach (var key in _nodes.Keys.Where(to.Contains).ToList())
                {
                    _nodes.Remove(key);
                }
            }

            if (!_nodes.ContainsKey(from) && source.IsDirectory && !move)
            {
                // Copying an implied directory: keep its shape by creating it as a directory object.
                var now = _time.GetUtcNow();
                _nodes[to] = new Node(EntryKind.Directory, [], now, now, NewId(), 1, [], null);
            }

            foreach (var (path, node) in moving)
            {
                if (move)
                {
                    _nodes.Remove(path);
                }

                _nodes[from.Rebase(path, to)] = move ? node : node with { FileId = NewId(), Created = _time.GetUtcNow() };
            }

            return Task.CompletedTask;
        }
    }

    private void CheckPutTarget(PoolPath path, bool overwrite)
    {
        var existing = StatLocked(path);
        if (existing is { IsDirectory: true })
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{path} is a directory.");
        }

        if (existing is not null && !overwrite)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{path} already exists.");
        }

        if (AncestorFileLocked(path) is { } file)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{file} is a file, so {path} cannot be created below it.");
        }
    }

    private PoolPath? AncestorFileLocked(PoolPath path)
    {
        for (var current = path.Parent; !current.IsRoot; current = current.Parent)
        {
            if (_nodes.TryGetValue(current, out var node) && node.Kind == EntryKind.File)
            {
                return current;
            }
        }

        return null;
    }

    private PoolEntry? StatLocked(PoolPath path)
    {
        if (_nodes.TryGetValue(path, out var node))
        {
            return new PoolEntry
            {
                Path = path,
                Kind = node.Kind,
                Size = node.Data.Length,
                Created = node.Created,
                Modified = node.Modified,
                Sha256 = node.Sha256,
                FileId = node.FileId,
                Revision = node.Revision,
                Properties = node.Properties,
            };
        }

        if (_nodes.Keys.Any(p => p != path && path.Contains(p)))
        {
            var newest = _nodes.Where(n => path.Contains(n.Key)).Max(n => n.Value.Modified);
            return new PoolEntry { Path = path, Kind = EntryKind.Directory, Created = newest, Modified = newest };
        }

        return null;
    }

    private long SizeLocked(PoolPath path) => _nodes.TryGetValue(path, out var node) ? node.Data.Length : 0;

    private long UsedLocked() => _nodes.Values.Sum(n => (long)n.Data.Length);

    private string NewId() => Interlocked.Increment(ref _nextId).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    private static PoolException NotFound(PoolPath path) => new(PoolErrorKind.NotFound, $"{path} does not exist.");

    private sealed record Node(
        EntryKind Kind,
        byte[] Data,
        DateTimeOffset Created,
        DateTimeOffset Modified,
        string FileId,
        long Revision,
        Dictionary<string, string> Properties,
        string? Sha256);
}
