using RclonePool.Core.IO;

namespace RclonePool.Tests.Unit.IO;

public sealed class ReadOnlyStreamTests
{
    [Fact]
    public void Synchronous_reads_of_an_asynchronous_only_stream_hand_out_the_same_bytes()
    {
        using var stream = new Counting([1, 2, 3, 4, 5]);
        var buffer = new byte[3];

        Assert.Equal(3, stream.Read(buffer, 0, 3));
        Assert.Equal([1, 2, 3], buffer);
        Assert.Equal(2, stream.Read(buffer.AsSpan()));
        Assert.Equal([4, 5], buffer[..2]);
        Assert.Equal(0, stream.Read(buffer, 0, 3));
        Assert.Equal(5, stream.Position);
    }

    [Fact]
    public async Task Array_reads_go_to_the_memory_read()
    {
        await using var stream = new Counting([7, 8, 9]);
        var buffer = new byte[4];

#pragma warning disable CA1835 // the array overload is what this test is about
        Assert.Equal(3, await stream.ReadAsync(buffer, 0, 4, TestContext.Current.CancellationToken));
#pragma warning restore CA1835
        Assert.Equal([7, 8, 9, 0], buffer);
    }

    [Fact]
    public void Seeking_writing_and_lengths_are_refused()
    {
        using var stream = new Counting([1]);

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush();
    }

    [Fact]
    public void A_stream_that_does_not_count_has_no_position()
    {
        using var stream = new NotCounting();

        Assert.Throws<NotSupportedException>(() => stream.Position);
    }

    /// <summary>Implements only the asynchronous read, a few bytes at a time, and counts what it hands out.</summary>
    private sealed class Counting(byte[] data) : ReadOnlyStream
    {
        private int _next;

        protected override long BytesHandedOut => _next;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var take = Math.Min(buffer.Length, data.Length - _next);
            data.AsSpan(_next, take).CopyTo(buffer.Span);
            _next += take;
            return take;
        }
    }

    private sealed class NotCounting : ReadOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);
    }
}
