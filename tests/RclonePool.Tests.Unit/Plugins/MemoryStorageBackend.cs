using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RclonePool.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>
/// A storage_backend plugin keeping objects in memory, as a plugin author would write one (missing objects throw
/// <see cref="FileNotFoundException"/>); <see cref="Failure"/>, when set, is thrown by every call instead.
/// </summary>
public sealed class MemoryStorageBackend : IStorageBackendPlugin
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public PluginMetadata Metadata { get; } = new("mem", "1.0.0", "tests", "Objects in memory.", PluginType.StorageBackend);

    public Exception? Failure { get; set; }

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        Called();
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        _objects[path] = buffer.ToArray();
    }

    public Task<Stream> OpenReadAsync(string path, long offset, long count, CancellationToken cancellationToken)
    {
        Called();
        if (!_objects.TryGetValue(path, out var data))
        {
            throw new FileNotFoundException($"no object {path}");
        }

        var start = (int)Math.Min(offset, data.Length);
        var length = count < 0 ? data.Length - start : (int)Math.Min(count, data.Length - start);
        return Task.FromResult<Stream>(new MemoryStream(data, start, length, writable: false));
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        Called();
        return Task.FromResult(_objects.TryRemove(path, out _));
    }

    public async IAsyncEnumerable<string> ListAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Called();
        var prefix = directory.Length == 0 ? string.Empty : directory.TrimEnd('/') + "/";
        foreach (var path in _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            yield return path;
        }

        await Task.CompletedTask;
    }

    private void Called()
    {
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}
