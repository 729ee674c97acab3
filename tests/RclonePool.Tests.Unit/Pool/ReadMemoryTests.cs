using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;

/// <summary>Memory stays bounded however many readers stream at once: blocks live in rented buffers and cache files.</summary>
[Collection(nameof(AllocationSensitive))]
public sealed class ReadMemoryTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Thirty_two_concurrent_streaming_reads_allocate_a_small_fraction_of_what_they_read(bool cache)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, c =>
        {
            c.ChunkSize = 4 * MiB;
            c.EnableChunkCache = cache;
            c.ChunkCacheSizeMb = 16;
        });
        var data = new byte[32 * MiB];
        new Random(5).NextBytes(data);
        var path = PoolPath.Parse("/big.bin");
        await test.Pool.PutAsync(path, new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        var expected = System.Security.Cryptography.SHA256.HashData(data);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var readers = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            await using var stream = await test.Pool.OpenReadAsync(path, 0, -1, Ct);
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[(i % 2 == 0) ? 64 * 1024 : 256 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return hash.GetHashAndReset();
        }, Ct)).ToArray();
        var hashes = await Task.WhenAll(readers);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.All(hashes, h => Assert.Equal(expected, h));
        // 1 GiB handed out; the readers' own 5 MiB of buffers plus a little per block.
        Assert.True(allocated < 48 * MiB, $"{allocated / MiB} MiB allocated to read {32 * data.Length / MiB} MiB");
    }
}
