using System.Runtime.CompilerServices;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Plugins;

/// <summary>
/// Applies a transformer plugin to the chunk objects (those under <c>data_prefix</c>): encoded on their way to the
/// remote, decoded on their way back, from any offset (the transform keeps lengths, so ranges, sizes and hashes of the
/// stored form are unchanged for the rest of the pool). Manifests and pool descriptors pass untouched, so the pool can
/// still be read from the remotes. Forwards every capability of the store it wraps.
/// </summary>
public sealed class TransformingRemoteStore(IRemoteStore inner, BlockTransform transform, string dataPrefix) : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes
{
    private readonly string _prefix = dataPrefix.TrimEnd('/') + "/";

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        if (!IsData(target))
        {
            await inner.WriteAsync(target, content, length, cancellationToken);
            return;
        }

        await using var encoding = new TransformingReadStream(content, transform, 0, encode: true, leaveOpen: true);
        await inner.WriteAsync(target, encoding, length, cancellationToken);
    }

    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (!IsData(directory.Child("x")))
        {
            await inner.WriteManyAsync(directory, objects, cancellationToken);
            return;
        }

        var encoded = new List<NamedBytes>(objects.Count);
        foreach (var item in objects)
        {
            var bytes = item.Bytes.ToArray();
            transform.Encode(bytes, 0);
            encoded.Add(item with { Bytes = bytes });
        }

        await inner.WriteManyAsync(directory, encoded, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        var stream = await inner.OpenReadAsync(source, offset, count, cancellationToken);
        return IsData(source) ? new TransformingReadStream(stream, transform, offset, encode: false, leaveOpen: false) : stream;
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in inner.ListAsync(directory, recursive, cancellationToken))
        {
            yield return entry;
        }
    }

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

    public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) => inner.LocalDirectoryAsync(remote, cancellationToken);

    /// <summary>None: a remote's hash of a chunk object is of the transformed bytes, not of the bytes the pool sees.</summary>
    public Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>A chunk object's hash cannot be told (its stored bytes are transformed); other objects' as the remote says.</summary>
    public Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken) =>
        IsData(path) ? Task.FromResult<string?>(null) : inner.HashAsync(path, type, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private bool IsData(RemotePath path) => path.Path.StartsWith(_prefix, StringComparison.Ordinal);
}
