using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Quotas;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Users;

/// <summary>The quota as the pool applies it to uploads and copies (over the in-memory store).</summary>
public sealed class QuotaPoolTests
{
    private const int Chunk = 64 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<TestPool> PoolAsync(InMemoryRemoteStore store, long bytes, long files = 0) =>
        TestPool.CreateAsync(store, build: b => b.UseQuota(new QuotaLimits("bob", bytes, files)));

    private static MemoryStream Unseekable(int length) => new NonSeekable(new byte[length]);

    [Fact]
    public async Task A_stream_of_unknown_length_that_passes_the_quota_midway_keeps_nothing()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await PoolAsync(store, 3 * Chunk);
        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/big"), Unseekable((5 * Chunk) + 1), -1, PutOptions.Default, None));
        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.Null(await test.Pool.StatAsync(PoolPath.Parse("/big"), None));
        Assert.DoesNotContain(store.Objects.Keys, k => k.Contains("rclonepool_data", StringComparison.Ordinal));
        var usage = await test.Pool.Quota!.UsageAsync(None);
        Assert.Equal((0, 0, 0), (usage.Bytes, usage.ReservedBytes, usage.ReservedFiles));
    }

    [Fact]
    public async Task The_pool_fills_to_exactly_its_quota_and_a_delete_makes_room_again()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await PoolAsync(store, 2 * Chunk);
        await test.Pool.PutAsync(PoolPath.Parse("/a"), new MemoryStream(new byte[Chunk]), Chunk, PutOptions.Default, None);
        await test.Pool.PutAsync(PoolPath.Parse("/b"), Unseekable(Chunk), -1, PutOptions.Default, None);
        await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/c"), new MemoryStream(new byte[1]), 1, PutOptions.Default, None));
        Assert.Equal(2 * Chunk, (await test.Pool.Quota!.UsageAsync(None)).Bytes);

        await test.Pool.DeleteAsync(PoolPath.Parse("/a"), recursive: false, None);
        await test.Pool.PutAsync(PoolPath.Parse("/c"), new MemoryStream(new byte[Chunk]), Chunk, PutOptions.Default, None);
    }

    [Fact]
    public async Task Copies_count_and_are_refused_past_the_quota()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await PoolAsync(store, 3 * Chunk, files: 3);
        await test.Pool.PutAsync(PoolPath.Parse("/d/a"), new MemoryStream(new byte[Chunk]), Chunk, PutOptions.Default, None);
        await test.Pool.PutAsync(PoolPath.Parse("/d/b"), new MemoryStream(new byte[Chunk]), Chunk, PutOptions.Default, None);
        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.CopyAsync(PoolPath.Parse("/d"), PoolPath.Parse("/e"), overwrite: false, None));
        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.Null(await test.Pool.StatAsync(PoolPath.Parse("/e"), None));
        await test.Pool.CopyAsync(PoolPath.Parse("/d/a"), PoolPath.Parse("/e"), overwrite: false, None);
        Assert.Equal(3, (await test.Pool.Quota!.UsageAsync(None)).Files);
    }

    [Fact]
    public async Task The_file_count_quota_refuses_a_new_file_but_not_a_replacement()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await PoolAsync(store, 0, files: 1);
        await test.Pool.PutAsync(PoolPath.Parse("/one"), new MemoryStream(new byte[10]), 10, PutOptions.Default, None);
        await test.Pool.PutAsync(PoolPath.Parse("/one"), new MemoryStream(new byte[Chunk * 2]), Chunk * 2, PutOptions.Default, None);
        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/two"), new MemoryStream(new byte[1]), 1, PutOptions.Default, None));
        Assert.Contains("quota_files", e.Message, StringComparison.Ordinal);
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
