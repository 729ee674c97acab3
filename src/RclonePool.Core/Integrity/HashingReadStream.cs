namespace RclonePool.Core.Integrity;

/// <summary>
/// A read-only pass-through that counts every byte read from <c>inner</c> and feeds it into a
/// <see cref="ChunkHasher"/> when one is given, so a chunk is hashed in the same pass that uploads it.
/// </summary>
public sealed class HashingReadStream(Stream inner, ChunkHasher? hasher, Action<int>? onRead = null) : Stream
{
    /// <summary>Bytes read through the stream so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hasher?.Append(buffer[..read]);
        BytesRead += read;
        onRead?.Invoke(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        hasher?.Append(buffer.Span[..read]);
        BytesRead += read;
        onRead?.Invoke(read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
