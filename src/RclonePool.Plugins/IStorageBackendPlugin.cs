namespace RclonePool.Plugins;

/// <summary>
/// <c>storage_backend</c>: objects on a store rclone does not reach, addressed by a path ('/' separators, relative to the
/// store's root). A pool uses it as one of its remotes, written <c>plugin=NAME</c> in <c>remotes</c>: chunks, manifests
/// and the pool descriptor are stored through it. Every call runs within <c>plugin_timeout</c> (a write covers the whole
/// object); an exception or a time-out makes the remote count as down for that call, and a plugin that keeps failing is
/// disabled. A missing object is reported by throwing <see cref="FileNotFoundException"/> (or
/// <see cref="DirectoryNotFoundException"/>), which is an answer, not a failure. Calls come from several threads at once.
/// </summary>
public interface IStorageBackendPlugin : IPlugin
{
    /// <summary>Stores <paramref name="content"/> (read to its end; not disposed) at <paramref name="path"/>, replacing any object there.</summary>
    Task WriteAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Bytes from <paramref name="offset"/>, <paramref name="count"/> of them (-1: to the end). A seekable stream's length is taken as the object's size.</summary>
    Task<Stream> OpenReadAsync(string path, long offset, long count, CancellationToken cancellationToken);

    /// <summary>False when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>The paths (relative to the store's root) of the objects under <paramref name="directory"/>, at any depth; none for a missing directory.</summary>
    IAsyncEnumerable<string> ListAsync(string directory, CancellationToken cancellationToken);
}
