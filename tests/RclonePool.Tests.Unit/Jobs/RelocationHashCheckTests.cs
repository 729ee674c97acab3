using System.Collections.Concurrent;
using System.Security.Cryptography;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Jobs;

/// <summary>
/// A move onto a remote that reports hashes is checked by the hash there, not by reading the copy back; a copy that lands
/// damaged, or a source that no longer matches the manifest, is refused and the file keeps its object. Real rclone (a
/// hasher remote): Cli/CliRebalanceTests.
/// </summary>
public sealed class RelocationHashCheckTests : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemoryRemoteStore _memory = new("a:", "b:");
    private readonly HashReportingStore _store;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestPool> _pools = [];
    private readonly Dictionary<string, byte[]> _files = [];

    public RelocationHashCheckTests() => _store = new HashReportingStore(_memory, "b:");

    /// <summary>Three files on a: alone, then the pool reopened with b: (which reports sha256) and a: draining.</summary>
    private async Task<StoragePool> DrainingPoolAsync()
    {
        var before = await OpenAsync(["a:"], []);
        for (var i = 0; i < 3; i++)
        {
            var data = new byte[(3 * Chunk) - (i * 1000)];
            new Random(i).NextBytes(data);
            _files[$"/f{i}"] = data;
            await before.PutAsync(PoolPath.Parse($"/f{i}"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        }

        var after = await OpenAsync(["a:", "b:"], ["a:"]);
        await new RemoteMembership(after).JoinAsync("b:", None);
        return after;
    }

    private async Task<StoragePool> OpenAsync(string[] remotes, string[] draining)
    {
        var test = await TestPool.CreateAsync(_store, c =>
        {
            c.Remotes = [.. remotes];
            c.DrainingRemotes = [.. draining];
            c.ManifestCacheDir = _directory;
        }, _directory);
        _pools.Add(test);
        return test.Pool;
    }

    private async Task AssertEveryFileReadsBackAsync(StoragePool pool)
    {
        foreach (var (path, data) in _files)
        {
            await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, None);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, None);
            Assert.True(data.AsSpan().SequenceEqual(buffer.ToArray()), $"{path} reads back changed");
        }
    }

    [Fact]
    public async Task A_drain_onto_a_remote_that_reports_hashes_checks_each_copy_there_and_reads_none_back()
    {
        var pool = await DrainingPoolAsync();

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true }, None);

        Assert.Empty(report.Failed);
        Assert.Equal(9, report.Moved.Count);
        Assert.Empty(_memory.Keys("a:", "rclonepool_data"));
        Assert.Equal(9, _store.HashesAsked);
        Assert.Equal(0, _store.ChunkReadsOn("b:"));
        await AssertEveryFileReadsBackAsync(pool);
    }

    [Fact]
    public async Task A_copy_that_lands_damaged_is_refused_and_the_file_keeps_its_object()
    {
        var pool = await DrainingPoolAsync();
        _store.DamageWritesTo = "b:";

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true }, None);

        Assert.NotEmpty(report.Failed);
        Assert.Contains(report.Failed, f => f.Error.Contains("sha256 there is", StringComparison.Ordinal));
        Assert.Empty(report.Moved);
        Assert.Equal(9, _memory.Keys("a:", "rclonepool_data").Count());
        Assert.Empty(_memory.Keys("b:", "rclonepool_data"));
        _store.DamageWritesTo = null;
        await AssertEveryFileReadsBackAsync(pool);
    }

    [Fact]
    public async Task A_source_that_no_longer_matches_the_manifest_is_not_copied_on()
    {
        var pool = await DrainingPoolAsync();
        var victim = _memory.Keys("a:", "rclonepool_data").First();
        var bytes = (byte[])_memory.Objects[victim].Clone();
        bytes[100] ^= 0xFF;
        _memory.Put(victim, bytes);

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true }, None);

        Assert.Contains(report.Failed, f => f.Error.Contains("the source on a:", StringComparison.Ordinal));
        Assert.Contains(victim, _memory.Keys("a:", "rclonepool_data"));
        Assert.Equal(6, report.Moved.Count); // the other two files; the damaged one keeps all of its objects
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools)
        {
            await pool.DisposeAsync();
        }
    }

    /// <summary>
    /// In-memory remotes where <c>reporting</c> answers sha256 of an object (as a cloud backend's stored hash would),
    /// counting the questions and the chunk reads per remote; <see cref="DamageWritesTo"/> flips a byte of every chunk
    /// written to that remote, as a faulty transfer would.
    /// </summary>
    private sealed class HashReportingStore(InMemoryRemoteStore inner, string reporting) : IRemoteStore, IRemoteHashes
    {
        private readonly ConcurrentDictionary<string, int> _chunkReads = new(StringComparer.Ordinal);
        private int _hashesAsked;

        public string? DamageWritesTo { get; set; }

        public int HashesAsked => Volatile.Read(ref _hashesAsked);

        public int ChunkReadsOn(string remote) => _chunkReads.GetValueOrDefault(remote);

        public Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(remote == reporting ? ["quickxor", "sha256"] : []);

        public Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _hashesAsked);
            return Task.FromResult(path.Remote == reporting && type == "sha256" && inner.Objects.TryGetValue(RemotePath.Join(path.Remote, path.Path), out var bytes)
                ? Convert.ToHexStringLower(SHA256.HashData(bytes))
                : null);
        }

        public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            if (target.Remote != DamageWritesTo || !target.Path.StartsWith("rclonepool_data/", StringComparison.Ordinal))
            {
                await inner.WriteAsync(target, content, length, cancellationToken);
                return;
            }

            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            var bytes = copy.ToArray();
            bytes[^1] ^= 0x01;
            await inner.WriteAsync(target, new MemoryStream(bytes), bytes.Length, cancellationToken);
        }

        public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
        {
            if (source.Path.StartsWith("rclonepool_data/", StringComparison.Ordinal))
            {
                _chunkReads.AddOrUpdate(source.Remote, 1, (_, n) => n + 1);
            }

            return inner.OpenReadAsync(source, offset, count, cancellationToken);
        }

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => inner.ListAsync(directory, recursive, cancellationToken);

        public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
