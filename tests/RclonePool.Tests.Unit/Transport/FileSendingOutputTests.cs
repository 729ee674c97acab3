using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;
using RclonePool.Core.IO;
using RclonePool.Server.Transport;

namespace RclonePool.Tests.Unit.Transport;

/// <summary>
/// Which response bytes may be sent from a file: only the output's last advance, named with the output's own memory,
/// before the next flush; consecutive ranges of one file merge, and the file stays open while a range is queued.
/// </summary>
public sealed class FileSendingOutputTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();
    private readonly SafeFileHandle _file;

    public FileSendingOutputTests()
    {
        File.WriteAllBytes(_path, new byte[64 * 1024]);
        _file = File.OpenHandle(_path);
    }

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public async Task Only_the_last_advance_in_the_outputs_own_memory_can_be_named_and_not_after_a_flush()
    {
        var pipe = new Pipe();
        var regions = new FileRegionQueue();
        var output = new FileSendingOutput(pipe.Writer, regions, new SenderScheduler(new FileStreams(), 2));

        var headers = output.GetMemory(100);
        output.Advance(100);
        var block = output.GetMemory(4096);
        output.Advance(4096);

        Assert.False(output.TrySendFromFile(headers[..100], new FileRegion(_file, 0, 100)));          // not the last advance
        Assert.False(output.TrySendFromFile(new byte[4096], new FileRegion(_file, 0, 4096)));          // other memory
        Assert.False(output.TrySendFromFile(block[..4000], new FileRegion(_file, 0, 4000)));           // part of it
        Assert.False(output.TrySendFromFile(block[..4096], new FileRegion(_file, 0, 4000)));           // a range of another length
        Assert.True(output.TrySendFromFile(block[..4096], new FileRegion(_file, 1000, 4096)));

        var queued = Assert.IsType<FileRegionQueue.Entry>(regions.Peek());
        Assert.Equal((100L, 1000L, 4096L), (queued.Position, queued.FileOffset, queued.Length));
        Assert.False(output.TrySendFromFile(block[..4096], new FileRegion(_file, 1000, 4096)));        // named once

        var next = output.GetMemory(4096);
        output.Advance(4096);
        await output.FlushAsync(TestContext.Current.CancellationToken);
        Assert.False(output.TrySendFromFile(next[..4096], new FileRegion(_file, 5096, 4096)));         // flushed already
        Assert.Equal(100 + 4096 + 4096, output.Written);
    }

    [Fact]
    public void Consecutive_ranges_of_one_file_merge_and_the_file_stays_open_until_sent()
    {
        var regions = new FileRegionQueue();
        Assert.True(regions.Add(10, new FileRegion(_file, 0, 4096)));
        Assert.True(regions.Add(10 + 4096, new FileRegion(_file, 4096, 4096)));
        Assert.True(regions.Add(10 + 8192 + 5, new FileRegion(_file, 8192, 100))); // a gap in the output: a new entry

        var first = regions.Peek()!;
        Assert.Equal((10L, 0L, 8192L), (first.Position, first.FileOffset, first.Length));

        var descriptor = $"/proc/self/fd/{_file.DangerousGetHandle()}";
        _file.Dispose(); // the reader closes its handle; the queue's references keep the descriptor open
        Assert.Equal(_path, new FileInfo(descriptor).LinkTarget);
        Assert.False(regions.Sent(first, 10 + 4096));
        Assert.True(regions.Sent(first, first.End));
        var second = regions.Peek()!;
        Assert.Equal(10 + 8192 + 5, second.Position);
        Assert.Equal(_path, new FileInfo(descriptor).LinkTarget);

        regions.Close();
        Assert.NotEqual(_path, File.Exists(descriptor) ? new FileInfo(descriptor).LinkTarget : null);
        Assert.Null(regions.Peek());
        Assert.False(regions.Add(0, new FileRegion(_file, 0, 1)));
    }
}
