using System.Buffers.Binary;

namespace RclonePool.Tests.Support.Remotes;

/// <summary>
/// A non-seekable stream of <c>length</c> pseudo-random bytes that are a pure function of their position, so a test
/// can write gigabytes without holding them and check any range later with <see cref="Fill"/>.
/// </summary>
public sealed class GeneratedStream(long length, ulong seed) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes at <paramref name="position"/> onwards.</summary>
    public static void Fill(ulong seed, long position, Span<byte> destination)
    {
        var i = 0;
        while (i < destination.Length)
        {
            var at = position + i;
            var word = Mix(seed ^ (ulong)(at >> 3));
            var inWord = (int)(at & 7);
            if (inWord == 0 && destination.Length - i >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], word);
                i += 8;
            }
            else
            {
                destination[i] = (byte)(word >> (inWord * 8));
                i++;
            }
        }
    }

    public static byte[] Bytes(ulong seed, long position, int count)
    {
        var bytes = new byte[count];
        Fill(seed, position, bytes);
        return bytes;
    }

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        if (count <= 0)
        {
            return 0;
        }

        Fill(seed, _position, buffer[..count]);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
