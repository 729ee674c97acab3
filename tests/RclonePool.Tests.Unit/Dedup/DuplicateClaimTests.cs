using System.Collections.Concurrent;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Jobs;

namespace RclonePool.Tests.Unit.Dedup;

/// <summary>
/// A whole-file duplicate whose objects are all content-addressed (<c>enable_deduplication</c>) is protected while it
/// is borrowed by one content claim, not by a shared-content marker on every remote: delete and overwrite never remove
/// such objects, and the sweep keeps what a young claim names.
/// </summary>
public sealed class DuplicateClaimTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<PoolEntry> PutFileAsync(PoolJobs jobs, string path, string local)
    {
        await using var stream = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        return await jobs.Pool.PutAsync(PoolPath.Parse(path), stream, stream.Length, PutOptions.Default, None);
    }

    private static IEnumerable<string> Keys(PoolJobs jobs, string prefix) => PoolJobs.RemoteNames.SelectMany(r => jobs.Memory.Keys(r, prefix));

    [Fact]
    public async Task A_local_duplicate_writes_one_claim_before_it_checks_the_chunks_and_no_markers()
    {
        await using var jobs = await PoolJobs.CreateAsync(c => c.EnableDeduplication = true);
        var data = PoolJobs.Data((3 * PoolJobs.Chunk) + 1, 1);
        var local = jobs.LocalFile(data);
        await PutFileAsync(jobs, "/a", local);
        var chunks = jobs.DataKeys().ToHashSet();
        var calls = new ConcurrentQueue<(string Operation, string Path)>();
        jobs.Script.Fail = (operation, target) =>
        {
            calls.Enqueue((operation, target.Path));
            return null;
        };

        var entry = await PutFileAsync(jobs, "/b", local);

        Assert.Equal(PoolPath.Parse("/a"), entry.DuplicateOf);
        Assert.Equal(chunks, jobs.DataKeys().ToHashSet());
        Assert.Empty(Keys(jobs, "rclonepool_manifests/shared"));
        Assert.Empty(Keys(jobs, "rclonepool_manifests/claims")); // removed once the manifest was durable
        var order = calls.ToList();
        var claim = order.FindIndex(c => c.Operation == "write" && c.Path.Contains("/claims/", StringComparison.Ordinal));
        var firstCheck = order.FindIndex(c => c.Operation == "stat" && c.Path.StartsWith("rclonepool_data/", StringComparison.Ordinal));
        Assert.Single(order, c => c.Operation == "write" && c.Path.Contains("/claims/", StringComparison.Ordinal));
        Assert.InRange(claim, 0, firstCheck - 1);
        Assert.Equal(data, await jobs.ReadAsync("/b"));
    }

    [Fact]
    public async Task Deleting_the_original_and_sweeping_leaves_the_duplicate_whole()
    {
        await using var jobs = await PoolJobs.CreateAsync(c => c.EnableDeduplication = true);
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 4);
        var local = jobs.LocalFile(data);
        await PutFileAsync(jobs, "/a", local);
        Assert.Equal(PoolPath.Parse("/a"), (await PutFileAsync(jobs, "/b", local)).DuplicateOf);

        await jobs.Pool.DeleteAsync(PoolPath.Parse("/a"), false, None);
        var report = await new OrphanCollector(jobs.Pool).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);

        Assert.Equal(0, report.ChunksDeleted);
        Assert.Equal(data, await jobs.ReadAsync("/b"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
    }

    [Fact]
    public async Task A_duplicate_of_a_file_with_random_object_ids_still_gets_markers()
    {
        // Stored before dedup was on: its objects have random ids, which delete removes unless a marker says they are shared.
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 5);
        var local = jobs.LocalFile(data);
        await PutFileAsync(jobs, "/a", local);
        Assert.DoesNotContain((await jobs.Pool.GetManifestAsync(PoolPath.Parse("/a"), None))!.Chunks.SelectMany(c => c.Locations), l => ManifestNames.IsContentAddressed(l.Object));

        Assert.Equal(PoolPath.Parse("/a"), (await PutFileAsync(jobs, "/b", local)).DuplicateOf);

        Assert.Equal(PoolJobs.RemoteNames.Length, Keys(jobs, "rclonepool_manifests/shared").Count());
        Assert.Empty(Keys(jobs, "rclonepool_manifests/claims"));
    }
}
