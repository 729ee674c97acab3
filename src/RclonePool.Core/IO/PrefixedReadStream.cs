namespace RclonePool.Core.IO;

/// <summary>
/// Hands out <c>prefix</c>, then the rest of <see cref="WrappingReadStream.Inner"/>: the bytes a reader already took from
/// the inner stream to decide how to read it (a format's magic number) are read again by whoever reads it next.
/// </summary>
internal sealed class PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen) : WrappingReadStream(inner, leaveOpen)
{
    private ReadOnlyMemory<byte> _prefix = prefix;
    private long _handedOut;

    protected override long BytesHandedOut => _handedOut;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePrefix(buffer.Span) is var taken and > 0)
        {
            return ValueTask.FromResult(taken);
        }

        return ReadInnerAsync(buffer, cancellationToken);
    }

    public override int Read(Span<byte> buffer)
    {
        if (TakePrefix(buffer) is var taken and > 0)
        {
            return taken;
        }

        var read = Inner.Read(buffer);
        _handedOut += read;
        return read;
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        _handedOut += read;
        return read;
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(_prefix.Length, buffer.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        _handedOut += n;
        return n;
    }
}
