using System.Buffers;

namespace RclonePool.Core.IO;

/// <summary>
/// Base of the pool's forward-only read streams: readable, never seekable or writable. A subclass implements
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>, and <see cref="Read(Span{byte})"/> where it has a real
/// synchronous read (by default a synchronous read waits for the asynchronous one). <see cref="Position"/> is
/// <see cref="BytesHandedOut"/>; setting it, seeking, writing and <see cref="SetLength"/> throw
/// <see cref="NotSupportedException"/>.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => BytesHandedOut;
        set => throw new NotSupportedException();
    }

    /// <summary>How many bytes this stream has handed out; not supported unless a subclass counts them.</summary>
    protected virtual long BytesHandedOut => throw new NotSupportedException();

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
