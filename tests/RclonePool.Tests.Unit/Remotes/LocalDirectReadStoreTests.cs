using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Remotes;

/// <summary>How <see cref="LocalDirectReadStore"/> decides between the file and the transport (real rclone: integration tests).</summary>
public sealed class LocalDirectReadStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rclonepool-direct-unit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_failure_to_tell_sends_that_read_through_the_transport_and_the_next_read_asks_again()
    {
        var path = new RemotePath("disk:", "rclonepool_data/ab/ab01");
        var transport = new AnsweringStore(_directory) { Failures = 1 };
        Directory.CreateDirectory(Path.Combine(_directory, "rclonepool_data", "ab"));
        await File.WriteAllBytesAsync(Path.Combine(_directory, path.Path), [1, 2, 3], Ct);
        var store = new LocalDirectReadStore(transport);

        Assert.Equal([9], await ReadAsync(store, path)); // rclone could not say: the transport serves the read
        Assert.Equal([1, 2, 3], await ReadAsync(store, path)); // asked again: the file
        Assert.Equal([1, 2, 3], await ReadAsync(store, path));

        Assert.Equal(2, transport.Questions);
        Assert.Equal(1, transport.Reads);
    }

    private static async Task<byte[]> ReadAsync(IRemoteStore store, RemotePath path)
    {
        await using var stream = await store.OpenReadAsync(path, 0, -1, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    /// <summary>A transport that names <c>directory</c> as local after failing <see cref="Failures"/> times, and serves [9] for every read.</summary>
    private sealed class AnsweringStore(string directory) : IRemoteStore
    {
        private readonly InMemoryRemoteStore _rest = new();

        public int Failures { get; set; }

        public int Questions { get; private set; }

        public int Reads { get; private set; }

        public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken)
        {
            Questions++;
            return Failures-- > 0 ? throw new IOException("rclone is restarting") : Task.FromResult<string?>(directory);
        }

        public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<Stream>(new MemoryStream([9]));
        }

        public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) => _rest.WriteAsync(target, content, length, cancellationToken);

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => _rest.ListAsync(directory, recursive, cancellationToken);

        public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => _rest.StatAsync(path, cancellationToken);

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => _rest.DeleteAsync(path, cancellationToken);

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => _rest.MoveAsync(from, to, cancellationToken);

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => _rest.AboutAsync(remote, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
