using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Support;

/// <summary>An <see cref="IRemoteStore"/> in memory, for pool logic tests that need no processes.</summary>
internal sealed class InMemoryRemoteStore : IRemoteStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _times = new(StringComparer.Ordinal);

    public InMemoryRemoteStore(params string[] remotes)
    {
        Free = remotes.ToDictionary(r => r, _ => (long?)(1L << 40), StringComparer.Ordinal);
    }

    /// <summary>Free space reported per remote (null: the backend cannot tell).</summary>
    public Dictionary<string, long?> Free { get; }

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    public int Writes;

    /// <summary>The clock that stamps objects' modification times (UnixEpoch, i.e. "long ago", unless set).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UnixEpoch;

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (length >= 0 && buffer.Length != length)
        {
            throw new PoolException(PoolErrorKind.Transient, $"short write to {target}");
        }

        Interlocked.Increment(ref Writes);
        _objects[Key(target)] = buffer.ToArray();
        _times[Key(target)] = Clock();
    }

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        if (!_objects.TryGetValue(Key(source), out var data))
        {
            throw new PoolException(PoolErrorKind.NotFound, $"{source} not found");
        }

        var start = (int)Math.Min(offset, data.Length);
        var length = count < 0 ? data.Length - start : (int)Math.Min(count, data.Length - start);
        return Task.FromResult<Stream>(new MemoryStream(data, start, length, writable: false));
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var prefix = Key(directory) + "/";
        foreach (var (key, value) in _objects.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = key[prefix.Length..];
                if (recursive || !rest.Contains('/', StringComparison.Ordinal))
                {
                    yield return new RemoteEntry(directory.Path.Length == 0 ? rest : directory.Path + "/" + rest, value.Length, ModTime(key), false);
                }
            }
        }
    }

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(Key(path), out var data) ? new RemoteEntry(path.Path, data.Length, ModTime(Key(path)), false) : null);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => Task.FromResult(_objects.TryRemove(Key(path), out _));

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        if (!_objects.TryRemove(Key(from), out var data))
        {
            throw new PoolException(PoolErrorKind.NotFound, $"{from} not found");
        }

        _objects[Key(to)] = data;
        _times[Key(to)] = Clock();
        return Task.CompletedTask;
    }

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) =>
        Task.FromResult(Free.TryGetValue(remote, out var free) && free is not null ? new RemoteUsage(null, null, free) : null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Objects under a prefix on one remote (e.g. "rclonepool_data").</summary>
    public IEnumerable<string> Keys(string remote, string prefix) =>
        _objects.Keys.Where(k => k.StartsWith(RemotePath.Join(remote, prefix) + "/", StringComparison.Ordinal));

    /// <summary>Replaces an object's bytes directly (fault injection), keeping its time.</summary>
    public void Put(string key, byte[] data) => _objects[key] = data;

    public bool Remove(string key) => _objects.TryRemove(key, out _);

    private DateTimeOffset ModTime(string key) => _times.TryGetValue(key, out var time) ? time : DateTimeOffset.UnixEpoch;

    private static string Key(RemotePath path) => RemotePath.Join(path.Remote, path.Path);
}
