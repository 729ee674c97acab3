using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Benchmarks.Reading;

/// <summary>Remotes in memory: measures the read path's own cost, without rclone.</summary>
internal sealed class MemoryRemoteStore : IRemoteStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        _objects[target.ToString()] = buffer.ToArray();
    }

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        if (!_objects.TryGetValue(source.ToString(), out var data))
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
        yield break;
    }

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(path.ToString(), out var data) ? new RemoteEntry(path.Path, data.Length, DateTimeOffset.UnixEpoch, false) : null);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => Task.FromResult(_objects.TryRemove(path.ToString(), out _));

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        _objects[to.ToString()] = _objects.TryRemove(from.ToString(), out var data) ? data : throw new PoolException(PoolErrorKind.NotFound, $"{from} not found");
        return Task.CompletedTask;
    }

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => Task.FromResult<RemoteUsage?>(new RemoteUsage(null, null, 1L << 40));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
