using RclonePool.Core.IO;

namespace RclonePool.Core.Integrity;

/// <summary>
/// A read-only pass-through that counts every byte read from <c>inner</c> and feeds it into a
/// <see cref="ChunkHasher"/> when one is given, so a chunk is hashed in the same pass that uploads it.
/// </summary>
public sealed class HashingReadStream(Stream inner, ChunkHasher? hasher, Action<int>? onRead = null) : ReadOnlyStream
{
    /// <summary>Bytes read through the stream so far.</summary>
    public long BytesRead { get; private set; }

    protected override long BytesHandedOut => BytesRead;

    public override long Length => inner.Length;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hasher?.Append(buffer[..read]);
        BytesRead += read;
        onRead?.Invoke(read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        hasher?.Append(buffer.Span[..read]);
        BytesRead += read;
        onRead?.Invoke(read);
        return read;
    }
}
