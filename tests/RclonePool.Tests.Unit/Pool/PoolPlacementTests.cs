using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

/// <summary>The placement keys of the config reach the pool's uploads (chunks of 64 KiB over a:, b:, c:).</summary>
public sealed class PoolPlacementTests
{
    private const int Chunk = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Uploads <paramref name="files"/> files of 3 chunks and returns the chunk bytes each remote holds.</summary>
    private static async Task<Dictionary<string, long>> UploadAsync(TestPool test, int files)
    {
        for (var i = 0; i < files; i++)
        {
            var bytes = new byte[3 * Chunk];
            new Random(i).NextBytes(bytes);
            await test.Pool.PutAsync(PoolPath.Parse($"/f{i}.bin"), new MemoryStream(bytes), bytes.Length, PutOptions.Default, Ct);
        }

        var placed = new Dictionary<string, long> { ["a:"] = 0, ["b:"] = 0, ["c:"] = 0 };
        for (var i = 0; i < files; i++)
        {
            var manifest = await test.Pool.GetManifestAsync(PoolPath.Parse($"/f{i}.bin"), Ct);
            foreach (var location in manifest!.Chunks.SelectMany(c => c.Locations))
            {
                placed[location.Remote] += location.StoredLength;
            }
        }

        return placed;
    }

    [Fact]
    public async Task Round_robin_from_the_config_gives_each_remote_the_same_number_of_chunks()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"), c => c.BalancingStrategy = "round_robin");
        var placed = await UploadAsync(test, 6);
        Assert.All(placed.Values, bytes => Assert.Equal(6L * Chunk, bytes));
    }

    [Fact]
    public async Task Weighted_with_remote_weights_stores_bytes_in_their_proportion()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"), c =>
        {
            c.BalancingStrategy = "weighted";
            c.RemoteWeights = new() { ["a:"] = 2.0 };
        });
        var placed = await UploadAsync(test, 8);
        Assert.InRange(placed["a:"] / (double)placed["b:"], 1.8, 2.2);
        Assert.InRange(placed["a:"] / (double)placed["c:"], 1.8, 2.2);
    }

    [Fact]
    public async Task The_remote_of_highest_priority_takes_every_chunk_while_it_has_room()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"), c => c.RemotePriorities = new() { ["b:"] = 10, ["c:"] = 5 });
        var placed = await UploadAsync(test, 4);
        Assert.Equal(12L * Chunk, placed["b:"]);
    }

    [Fact]
    public async Task A_remote_whose_circuit_is_open_gets_nothing_new()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"), c => c.BalancingStrategy = "round_robin");
        for (var i = 0; i < test.Pool.CircuitBreaker.Threshold; i++)
        {
            test.Pool.CircuitBreaker.OnFailure("c:", new PoolException(PoolErrorKind.Transient, "c: timed out"));
        }

        var placed = await UploadAsync(test, 4);
        Assert.Equal(0, placed["c:"]);
        Assert.Equal(6L * Chunk, placed["a:"]);
    }
}
