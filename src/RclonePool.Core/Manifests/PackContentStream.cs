namespace RclonePool.Core.Manifests;

/// <summary>
/// The bytes of a pack produced as they are read (<see cref="ManifestPack.OpenContent"/>): the header line, then each
/// record and its line break, copied from the records themselves, so writing a 16 MiB pack holds no 16 MiB buffer.
/// Seekable (a retried write starts again from the beginning); its <see cref="Length"/> is known before the first read.
/// </summary>
internal sealed class PackContentStream : Stream
{
    private const byte NewLine = (byte)'\n';

    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _lines;
    private int _line;
    private int _at;
    private long _position;

    /// <param name="lines">The header, then the records; a line break follows each.</param>
    public PackContentStream(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        _lines = lines;
        Length = lines.Sum(l => (long)l.Length + 1);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position { get => _position; set => MoveTo(value); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _line < _lines.Count)
        {
            var line = _lines[_line].Span;
            if (_at < line.Length)
            {
                var n = Math.Min(line.Length - _at, buffer.Length - written);
                line.Slice(_at, n).CopyTo(buffer[written..]);
                _at += n;
                written += n;
            }
            else
            {
                buffer[written++] = NewLine;
                _line++;
                _at = 0;
            }
        }

        _position += written;
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        MoveTo(origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        });
        return _position;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void MoveTo(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Length);
        (_line, _at, _position) = (0, 0, position);
        while (_line < _lines.Count && position > _lines[_line].Length)
        {
            position -= _lines[_line].Length + 1;
            _line++;
        }

        _at = (int)position;
    }
}
