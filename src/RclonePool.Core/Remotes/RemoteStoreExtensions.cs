using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes;

/// <summary>Small-object conveniences over <see cref="IRemoteStore"/> (manifests, descriptors).</summary>
public static class RemoteStoreExtensions
{
    /// <summary>Largest small object read whole into memory (manifests, pool descriptors).</summary>
    public const int MaxSmallObjectBytes = 64 * 1024 * 1024;

    public static async Task WriteBytesAsync(this IRemoteStore store, RemotePath target, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        await store.WriteAsync(target, stream, bytes.Length, cancellationToken);
    }

    /// <summary>Reads a whole small object, or null when it does not exist.</summary>
    public static async Task<byte[]?> TryReadBytesAsync(this IRemoteStore store, RemotePath source, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await store.OpenReadAsync(source, 0, -1, cancellationToken);
        }
        catch (PoolException e) when (e.Kind == PoolErrorKind.NotFound)
        {
            return null;
        }

        await using (stream)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxSmallObjectBytes)
                {
                    throw new PoolException(PoolErrorKind.Integrity, $"The object {source} is larger than {MaxSmallObjectBytes} bytes; it is not a manifest or descriptor rclonepool wrote.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
