using RclonePool.Core.Chunking;

namespace RclonePool.Tests.Unit.Chunking;

public sealed class FileRangeStreamTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "rclonepool-range-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task An_asynchronous_read_completes_in_place_with_the_bytes_of_the_range()
    {
        var data = new byte[300_000];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(_file, data, TestContext.Current.CancellationToken);
        using var handle = File.OpenHandle(_file);
        await using var stream = new FileRangeStream(handle, 1000, 200_000);

        var buffer = new byte[256 * 1024];
        var first = stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal(200_000, await first);
        Assert.Equal(data.AsSpan(1000, 200_000), buffer.AsSpan(0, 200_000));
        Assert.Equal(0, await stream.ReadAsync(buffer, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_read_after_the_stream_or_the_call_was_cancelled_stops()
    {
        await File.WriteAllBytesAsync(_file, new byte[4096], TestContext.Current.CancellationToken);
        using var handle = File.OpenHandle(_file);
        using var stopped = new CancellationTokenSource();
        await using var stream = new FileRangeStream(handle, 0, 4096, stopWith: stopped.Token);

        var buffer = new byte[1024];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadAtLeastAsync(buffer, 1, cancellationToken: new CancellationToken(canceled: true)));
        await stopped.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadAtLeastAsync(buffer, 1, cancellationToken: TestContext.Current.CancellationToken));
    }
}
