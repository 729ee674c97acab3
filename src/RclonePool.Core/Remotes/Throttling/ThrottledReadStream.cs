using RclonePool.Core.IO;

namespace RclonePool.Core.Remotes.Throttling;

/// <summary>A read-only stream that lets bytes through no faster than a <see cref="BandwidthLimiter"/> allows.</summary>
internal sealed class ThrottledReadStream(Stream inner, BandwidthLimiter limiter, bool leaveOpen) : WrappingReadStream(inner, leaveOpen)
{
    public override long Length => Inner.Length;

    protected override long BytesHandedOut => Inner.Position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer[..Math.Min(buffer.Length, limiter.MaxPiece)], cancellationToken);
        await limiter.AcquireAsync(read, cancellationToken);
        return read;
    }
}
