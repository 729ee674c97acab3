using RclonePool.Core.IO;

namespace RclonePool.Core.Plugins;

/// <summary>A read-only stream that passes each buffer it reads through a <see cref="BlockTransform"/>, tracking the object offset.</summary>
internal sealed class TransformingReadStream(Stream inner, BlockTransform transform, long offset, bool encode, bool leaveOpen) : ReadOnlyStream
{
    private long _position = offset;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Apply(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Apply(buffer.Span[..read]);
        return read;
    }

    private void Apply(Span<byte> data)
    {
        if (encode)
        {
            transform.Encode(data, _position);
        }
        else
        {
            transform.Decode(data, _position);
        }

        _position += data.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen)
        {
            await inner.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
