using System.Buffers;

namespace RclonePool.Core.IO;

/// <summary>
/// Bytes written once, front to back, then read as often as needed: a seekable stream of known length over segments
/// rented from <see cref="ArrayPool{T}.Shared"/> (16 KiB first, doubling up to 1 MiB), returned when it is disposed.
/// Unlike a <see cref="MemoryStream"/> it never copies what it holds to grow, and keeps no large array alive once disposed.
/// </summary>
internal sealed class PooledBufferStream : Stream
{
    private const int FirstSegmentBytes = 16 * 1024;
    private const int LargestSegmentBytes = 1024 * 1024;

    private readonly List<byte[]> _segments = [];
    private readonly List<long> _starts = [];
    private long _length;
    private long _position;
    private bool _disposed;

    public override bool CanRead => !_disposed;

    public override bool CanSeek => !_disposed;

    public override bool CanWrite => !_disposed;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _length);
            _position = value;
        }
    }

    /// <summary>Appends <paramref name="buffer"/>; writes go to the end only (the position must be there).</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position != _length)
        {
            throw new NotSupportedException("A pooled buffer is written front to back: write at its end.");
        }

        while (!buffer.IsEmpty)
        {
            var (segment, at) = Locate(_length);
            if (segment == _segments.Count)
            {
                var size = _segments.Count == 0 ? FirstSegmentBytes : Math.Min(_segments[^1].Length * 2, LargestSegmentBytes);
                _segments.Add(ArrayPool<byte>.Shared.Rent(size));
                _starts.Add(_length);
            }

            var room = _segments[segment].AsSpan(at);
            var n = Math.Min(room.Length, buffer.Length);
            buffer[..n].CopyTo(room);
            buffer = buffer[n..];
            _length += n;
        }

        _position = _length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var read = 0;
        while (read < buffer.Length && _position < _length)
        {
            var (segment, at) = Locate(_position);
            var available = (int)Math.Min(_segments[segment].Length - at, _length - _position);
            var n = Math.Min(available, buffer.Length - read);
            _segments[segment].AsSpan(at, n).CopyTo(buffer[read..]);
            read += n;
            _position += n;
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var segment in _segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }

            _segments.Clear();
            _starts.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>The segment holding byte <paramref name="offset"/> and the offset in it; past the last segment: (count, 0).</summary>
    private (int Segment, int At) Locate(long offset)
    {
        // A handful of segments (16 KiB doubling to 1 MiB): a walk from the end is as fast as a search.
        for (var i = _segments.Count - 1; i >= 0; i--)
        {
            if (offset >= _starts[i])
            {
                var at = offset - _starts[i];
                return at < _segments[i].Length ? (i, (int)at) : (i + 1, 0);
            }
        }

        return (0, 0);
    }
}
