using RclonePool.Core.IO;

namespace RclonePool.Core.Plugins;

/// <summary>A read-only stream that passes each buffer it reads through a <see cref="BlockTransform"/>, tracking the object offset.</summary>
internal sealed class TransformingReadStream(Stream inner, BlockTransform transform, long offset, bool encode, bool leaveOpen) : WrappingReadStream(inner, leaveOpen)
{
    private long _position = offset;

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        Apply(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
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
}
