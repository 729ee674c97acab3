namespace RclonePool.Plugins;

/// <summary>
/// <c>storage_backend</c>: objects on a store rclone does not reach, addressed by a path. The contract is defined; this
/// version of rclonepool does not call it yet (remotes are rclone remotes).
/// </summary>
public interface IStorageBackendPlugin : IPlugin
{
    Task WriteAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Bytes from <paramref name="offset"/>, <paramref name="count"/> of them (-1: to the end).</summary>
    Task<Stream> OpenReadAsync(string path, long offset, long count, CancellationToken cancellationToken);

    /// <summary>False when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);

    IAsyncEnumerable<string> ListAsync(string directory, CancellationToken cancellationToken);
}
