using System.Runtime.CompilerServices;

namespace RclonePool.Core.Remotes.Throttling;

/// <summary>
/// Limits the bytes going to the remotes (<c>bandwidth_limit_upload_mbps</c>) and coming from them
/// (<c>bandwidth_limit_download_mbps</c>) with shared <see cref="BandwidthLimiter"/>s; a null limiter leaves that
/// direction unlimited. Listing, stat, delete and move pass untouched. Forwards every capability of the store it wraps.
/// </summary>
public sealed class ThrottledRemoteStore(IRemoteStore inner, BandwidthLimiter? upload, BandwidthLimiter? download) : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes, IRemoteCopies
{
    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        if (upload is null)
        {
            await inner.WriteAsync(target, content, length, cancellationToken);
            return;
        }

        await using var throttled = new ThrottledReadStream(content, upload, leaveOpen: true);
        await inner.WriteAsync(target, throttled, length, cancellationToken);
    }

    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        if (upload is not null)
        {
            await upload.AcquireAsync(objects.Sum(o => (long)o.Bytes.Length), cancellationToken);
        }

        await inner.WriteManyAsync(directory, objects, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        var stream = await inner.OpenReadAsync(source, offset, count, cancellationToken);
        return download is null ? stream : new ThrottledReadStream(stream, download, leaveOpen: false);
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

    /// <summary>Only without a limit: bytes copied inside rclone would pass the limiters by.</summary>
    public Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
        upload is null && download is null ? inner.TryCopyAsync(from, to, cancellationToken) : Task.FromResult(false);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

    public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) => inner.LocalDirectoryAsync(remote, cancellationToken);

    public Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) => inner.HashTypesAsync(remote, cancellationToken);

    public Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken) => inner.HashAsync(path, type, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
