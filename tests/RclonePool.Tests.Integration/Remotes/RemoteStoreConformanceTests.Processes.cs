using System.Collections.Concurrent;
using System.Diagnostics;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Rcd;
using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>Streaming, memory, cancellation and the rclone processes behind the store.</summary>
public abstract partial class RemoteStoreConformanceTests
{
    [Fact]
    public async Task A_large_write_streams_without_holding_the_object_in_memory()
    {
        const long size = 256L * MiB;
        const ulong seed = 42;
        var path = At("large/stream.bin");
        var measured = Processes.ResetPeakResident();
        var before = Processes.PeakResidentBytes();

        await Store.WriteAsync(path, new GeneratedStream(size, seed), size, Ct);

        var growth = Processes.PeakResidentBytes() - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"peak resident growth while writing {size / MiB} MiB: {growth / MiB} MiB (measured: {measured})");
        try
        {
            Assert.Equal(size, (await Store.StatAsync(path, Ct))?.Size);
            Assert.Equal(GeneratedStream.Bytes(seed, size - MiB - 5, MiB), await ReadAllAsync(path, size - MiB - 5, MiB));
            if (measured)
            {
                Assert.True(growth < 96L * MiB, $"The process's peak resident memory grew by {growth / MiB} MiB while writing {size / MiB} MiB.");
            }
        }
        finally
        {
            await Store.DeleteAsync(path, Ct);
        }
    }

    [Fact]
    public async Task A_killed_rclone_breaks_the_read_in_flight_with_a_transient_error_and_the_next_call_works()
    {
        var started = new ConcurrentQueue<int>();
        await using var store = Fixture.CreateStore(started.Enqueue);
        var path = At("killed/object.bin");
        const long size = 48L * MiB;
        await store.WriteAsync(path, new GeneratedStream(size, 3), size, Ct);
        Assert.Equal(size, (await store.StatAsync(path, Ct))?.Size);
        await ListThroughRcloneAsync(store, At("killed")); // rclone runs now, whatever wrote and stats the object
        var read = await store.OpenReadAsync(path, 0, -1, Ct);
        await using (read)
        {
            var first = new byte[64 * 1024];
            await read.ReadExactlyAsync(first, Ct);

            var killed = KillRunning(started);

            Assert.NotEmpty(killed);
            if (Fixture.ReadsLocalFilesDirectly)
            {
                // The file is read without rclone: its death does not touch the read.
                using var rest = new MemoryStream();
                await read.CopyToAsync(rest, Ct);
                Assert.Equal(GeneratedStream.Bytes(3, first.Length, (int)(size - first.Length)), rest.ToArray());
            }
            else
            {
                var error = await Assert.ThrowsAsync<PoolException>(() => read.CopyToAsync(Stream.Null, Ct));
                Assert.Equal(PoolErrorKind.Transient, error.Kind);
            }
        }

        Assert.Equal(size, (await store.StatAsync(path, Ct))?.Size);
        Assert.Equal(GeneratedStream.Bytes(3, 1000, 5000), await ReadAllAsync(path, 1000, 5000, store));
    }

    [Fact]
    public async Task Killing_rclone_between_calls_is_transparent()
    {
        var started = new ConcurrentQueue<int>();
        await using var store = Fixture.CreateStore(started.Enqueue);
        var path = At("restart/object.txt");
        var data = RandomBytes(1000);
        await store.WriteAsync(path, new MemoryStream(data), data.Length, Ct);
        var daemonBefore = (store as RcdRemoteStore)?.Daemon.ProcessId;

        KillRunning(started);

        Assert.Equal(data.Length, (await store.StatAsync(path, Ct))?.Size);
        Assert.Equal(data, await ReadAllAsync(path, store: store));
        if (store is RcdRemoteStore rcd)
        {
            Assert.NotNull(daemonBefore);
            Assert.NotNull(rcd.Daemon.ProcessId);
            Assert.NotEqual(daemonBefore, rcd.Daemon.ProcessId);
            Assert.False(Processes.IsRcloneRunning(daemonBefore.Value));
        }
    }

    [Fact]
    public async Task Cancelling_a_read_aborts_it_promptly()
    {
        var started = new ConcurrentQueue<int>();
        await using var store = Fixture.CreateStore(started.Enqueue);
        var path = At("cancel/object.bin");
        const long size = 32L * MiB;
        await store.WriteAsync(path, new GeneratedStream(size, 5), size, Ct);
        using var cancel = new CancellationTokenSource();
        var readers = started.Count;
        await using var read = await store.OpenReadAsync(path, 0, -1, cancel.Token);
        await read.ReadExactlyAsync(new byte[4096], Ct);
        var clock = Stopwatch.StartNew();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.CopyToAsync(Stream.Null, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the read ended {clock.Elapsed} after the cancellation");
        if (!Fixture.UsesDaemon)
        {
            var reader = started.Skip(readers).Single();
            await Processes.WaitUntilAsync(() => !Processes.IsRcloneRunning(reader), TimeSpan.FromSeconds(10), $"rclone cat (pid {reader}) is gone");
        }
    }

    [Fact]
    public async Task Disposing_the_store_leaves_no_rclone_process()
    {
        var started = new ConcurrentQueue<int>();
        var store = Fixture.CreateStore(started.Enqueue);
        var path = At("dispose/object.bin");
        await store.WriteAsync(path, new GeneratedStream(4 * MiB, 9), 4 * MiB, Ct);
        _ = await store.StatAsync(path, Ct);
        await ListThroughRcloneAsync(store, At("dispose")); // a listing goes through rclone with every store
        var abandoned = await store.OpenReadAsync(path, 0, -1, Ct);
        await abandoned.ReadExactlyAsync(new byte[100], Ct);

        await store.DisposeAsync();

        Assert.NotEmpty(started);
        await Processes.WaitUntilAsync(
            () => started.All(pid => !Processes.IsRcloneRunning(pid)),
            TimeSpan.FromSeconds(10),
            $"every rclone the store started ({string.Join(", ", started)}) is gone");
        await abandoned.DisposeAsync();
    }

    /// <summary>
    /// Lists <paramref name="directory"/> and asks its remote's hash types: calls that a store makes through rclone (a
    /// store over local directories writes, reads, stats and lists their files itself, but asks rclone for hash types),
    /// so an rclone process runs afterwards.
    /// </summary>
    private async Task ListThroughRcloneAsync(IRemoteStore store, RemotePath directory)
    {
        await foreach (var entry in store.ListAsync(directory, recursive: false, Ct))
        {
            Assert.NotNull(entry.Path);
        }

        _ = await store.HashTypesAsync(directory.Remote, Ct);
    }

    /// <summary>SIGKILLs every still-running process of <paramref name="pids"/>; returns the ones it killed.</summary>
    private static List<int> KillRunning(IEnumerable<int> pids)
    {
        List<int> killed = [];
        foreach (var pid in pids.Where(Processes.IsRcloneRunning))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            killed.Add(pid);
        }

        return killed;
    }
}
