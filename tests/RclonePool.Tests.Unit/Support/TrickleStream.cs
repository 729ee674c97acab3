namespace RclonePool.Tests.Unit.Support;

/// <summary>Gives at most <c>most</c> bytes per read, so frames and lines cross a reader's buffers.</summary>
internal sealed class TrickleStream(byte[] bytes, int most) : MemoryStream(bytes, writable: false)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));

    public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, most)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        base.ReadAsync(buffer, offset, Math.Min(count, most), cancellationToken);
}
