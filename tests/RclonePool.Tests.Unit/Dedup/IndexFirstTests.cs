using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Compression;
using RclonePool.Tests.Unit.Jobs;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Dedup;

/// <summary>
/// "Index first" (docs/efficiency.md): a deduplicating upload asks the local index where a content-addressed object is
/// before it asks the remotes, and a stale answer never costs data.
/// </summary>
public sealed class IndexFirstTests
{
    private const int Chunk = PoolJobs.Chunk;
    private static readonly CancellationToken None = CancellationToken.None;

    private static void Configure(Core.Config.PoolConfig c)
    {
        c.EnableDeduplication = true;
        c.EnableDuplicateDetection = false;
    }

    /// <summary>Four chunks; <paramref name="variant"/> changes only the last one.</summary>
    private static byte[] File(int variant) => [.. PoolJobs.Data(3 * Chunk, 7), .. PoolJobs.Data(Chunk, 100 + variant)];

    [Fact]
    public async Task Chunks_the_index_knows_are_checked_once_on_their_remote_and_new_ones_on_every_remote()
    {
        await using var jobs = await PoolJobs.CreateAsync(Configure);
        await jobs.PutAsync("/a.img", File(1));
        jobs.Script.Calls.Clear();

        await jobs.PutAsync("/b.img", File(2));

        // Three shared chunks: one check each after the claim (none to find them); the new chunk: one stat per remote.
        Assert.Equal(3 + PoolJobs.RemoteNames.Length, jobs.Script.Calls.GetValueOrDefault("stat"));
        Assert.Equal(5, jobs.DataKeys().Count());
        Assert.Equal(File(2), await jobs.ReadAsync("/b.img"));
    }

    [Fact]
    public async Task A_stale_index_that_names_swept_objects_makes_the_upload_write_them_again()
    {
        await using var jobs = await PoolJobs.CreateAsync(Configure);
        await jobs.PutAsync("/a.img", File(1));

        // Another process deletes the file and sweeps its chunks; this process's index still names them.
        await using (var other = await TestPool.CreateAsync(jobs.Memory, Configure))
        {
            await other.Pool.DeleteAsync(PoolPath.Parse("/a.img"), false, None);
            await new OrphanCollector(other.Pool).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        }

        Assert.Empty(jobs.DataKeys());

        await jobs.PutAsync("/b.img", File(1));

        Assert.Equal(4, jobs.DataKeys().Count());
        Assert.Equal(File(1), await CompressedPoolTests.ReadAsync(jobs.Pool, "/b.img"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions { Scope = PoolPath.Parse("/b.img") }, None)).Clean);
    }
}
