using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Support.Remotes;

/// <summary>
/// An <see cref="IRemoteStore"/> in memory, for pool logic tests that need no processes. It keeps the rules of
/// <see cref="RemoteStoreContract"/> as the rclone transports do (directories in listings, BadInput for a remote it was
/// not given or a content shorter than announced), so a test over it sees what it would see over rclone.
/// </summary>
public sealed class InMemoryRemoteStore : IRemoteStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _times = new(StringComparer.Ordinal);
    private readonly HashSet<string> _remotes;
    private int _writes;

    /// <summary>A store of the given remotes (e.g. "a:"); any other remote is unknown, as to rclone without its config section.</summary>
    public InMemoryRemoteStore(params string[] remotes)
    {
        _remotes = new HashSet<string>(remotes, StringComparer.Ordinal);
        Free = remotes.ToDictionary(r => r, _ => (long?)(1L << 40), StringComparer.Ordinal);
    }

    /// <summary>Free space reported per remote (null: the backend cannot tell).</summary>
    public Dictionary<string, long?> Free { get; }

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>Objects written so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>The clock that stamps objects' modification times (UnixEpoch, i.e. "long ago", unless set).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UnixEpoch;

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        EnsureKnown(target.Remote);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (length >= 0 && buffer.Length != length)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The content written to {target} holds {buffer.Length} bytes, not the {length} announced; nothing was written.");
        }

        Interlocked.Increment(ref _writes);
        _objects[Key(target)] = buffer.ToArray();
        _times[Key(target)] = Clock();
    }

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        EnsureKnown(source.Remote);
        if (!_objects.TryGetValue(Key(source), out var data))
        {
            throw new PoolException(PoolErrorKind.NotFound, $"{source} not found");
        }

        var start = (int)Math.Min(offset, data.Length);
        var length = count < 0 ? data.Length - start : (int)Math.Min(count, data.Length - start);
        return Task.FromResult<Stream>(new MemoryStream(data, start, length, writable: false));
    }

    /// <summary>Objects and the directories their paths imply, as rclone lists them (one level, or every level).</summary>
    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EnsureKnown(directory.Remote);
        await Task.Yield();
        var root = directory.Path.Length == 0 ? "" : directory.Path + "/";
        var prefix = Key(directory.Remote, root);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in _objects.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key[prefix.Length..];
            for (var slash = rest.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = recursive ? rest.IndexOf('/', slash + 1) : -1)
            {
                if (directories.Add(rest[..slash]))
                {
                    yield return new RemoteEntry(root + rest[..slash], -1, ModTime(key), IsDirectory: true);
                }
            }

            if (recursive || !rest.Contains('/', StringComparison.Ordinal))
            {
                yield return new RemoteEntry(root + rest, value.Length, ModTime(key), false);
            }
        }
    }

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        EnsureKnown(path.Remote);
        return Task.FromResult(_objects.TryGetValue(Key(path), out var data) ? new RemoteEntry(path.Path, data.Length, ModTime(Key(path)), false) : null);
    }

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        EnsureKnown(path.Remote);
        return Task.FromResult(_objects.TryRemove(Key(path), out _));
    }

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        EnsureKnown(from.Remote);
        EnsureKnown(to.Remote);
        if (!_objects.TryRemove(Key(from), out var data))
        {
            throw new PoolException(PoolErrorKind.NotFound, $"{from} not found");
        }

        _objects[Key(to)] = data;
        _times[Key(to)] = Clock();
        return Task.CompletedTask;
    }

    /// <summary>The space <see cref="Free"/> says, with the bytes stored as used (null when the backend "cannot tell").</summary>
    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
    {
        EnsureKnown(remote);
        if (!Free.TryGetValue(remote, out var free) || free is null)
        {
            return Task.FromResult<RemoteUsage?>(null);
        }

        var used = _objects.Where(o => o.Key.StartsWith(remote, StringComparison.Ordinal)).Sum(o => (long)o.Value.Length);
        return Task.FromResult<RemoteUsage?>(new RemoteUsage(used + free, used, free));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Objects under a prefix on one remote (e.g. "rclonepool_data").</summary>
    public IEnumerable<string> Keys(string remote, string prefix) =>
        _objects.Keys.Where(k => k.StartsWith(RemotePath.Join(remote, prefix) + "/", StringComparison.Ordinal));

    /// <summary>Replaces an object's bytes directly (fault injection), keeping its time.</summary>
    public void Put(string key, byte[] data) => _objects[key] = data;

    public bool Remove(string key) => _objects.TryRemove(key, out _);

    private void EnsureKnown(string remote)
    {
        if (!_remotes.Contains(remote))
        {
            throw new PoolException(
                PoolErrorKind.BadInput,
                $"The remote \"{remote}\" is not defined in rclone's config file: create it with `rclone config`, or check its spelling in the pool's remotes.");
        }
    }

    private DateTimeOffset ModTime(string key) => _times.TryGetValue(key, out var time) ? time : DateTimeOffset.UnixEpoch;

    private static string Key(RemotePath path) => Key(path.Remote, path.Path);

    private static string Key(string remote, string path) => RemotePath.Join(remote, path);
}
