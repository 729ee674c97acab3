using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Compression;
using RclonePool.Tests.Unit.Jobs;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Dedup;

/// <summary>
/// The sweep's last window (docs/efficiency.md): an upload that decides to reuse a content-addressed object after
/// 'orphans --delete' last read the claims, and before it removes the object. Each test stops the sweep at its first
/// removal of such an object and runs the upload's steps right there.
/// </summary>
public sealed class SweepRaceTests
{
    private const int Chunk = PoolJobs.Chunk;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly OrphanOptions Sweep = new() { Delete = true, MinAge = TimeSpan.FromHours(1) };

    public static TheoryData<string> Modes => ["none", "parity+zstd"];

    private static void Configure(Core.Config.PoolConfig c, string mode)
    {
        c.EnableDeduplication = true;
        c.RedundancyMode = mode.Split('+')[0];
        c.ParityDataShards = 2;
        c.ParityParityShards = 1;
        c.EnableCompression = mode.EndsWith("+zstd", StringComparison.Ordinal);
    }

    private static byte[] Content(string mode) =>
        mode.EndsWith("+zstd", StringComparison.Ordinal) ? CompressibleData.Text(4 * Chunk, 3) : PoolJobs.Data(4 * Chunk, 3);

    /// <summary>
    /// A pool whose only file was deleted: its content-addressed objects are old (written at the epoch) and named by
    /// nothing, so a sweep removes them; from now on the remotes stamp what is written with the real time.
    /// </summary>
    private static async Task<PoolJobs> DeletedFileAsync(string mode, byte[] data)
    {
        var jobs = await PoolJobs.CreateAsync(c => Configure(c, mode));
        await jobs.PutAsync("/old.img", data);
        await jobs.Pool.DeleteAsync(PoolPath.Parse("/old.img"), false, None);
        jobs.Memory.Clock = () => DateTimeOffset.UtcNow;
        return jobs;
    }

    private static bool IsChunkObject(RemotePath target) =>
        target.Path.StartsWith("rclonepool_data/", StringComparison.Ordinal) && ManifestNames.IsContentAddressed(target.Path);

    /// <summary>Runs <paramref name="step"/> once, inside the sweep's first call that <paramref name="when"/> picks, before that call goes on.</summary>
    private static void Interleave(PoolJobs jobs, Func<string, RemotePath, bool> when, Func<RemotePath, Task> step)
    {
        var fired = 0;
        jobs.Script.Fail = (operation, target) =>
        {
            if (when(operation, target) && Interlocked.Exchange(ref fired, 1) == 0)
            {
                Task.Run(() => step(target)).GetAwaiter().GetResult();
            }

            return null;
        };
    }

    private static Func<string, RemotePath, bool> FirstRemoval => (operation, target) => operation is "delete" or "move" && IsChunkObject(target);

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_claim_written_after_the_sweep_last_read_the_claims_keeps_the_object_the_upload_found(string mode)
    {
        await using var jobs = await DeletedFileAsync(mode, Content(mode));
        RemotePath? claimed = null;
        var found = false;
        Interleave(jobs, FirstRemoval, async target =>
        {
            // What an upload does before it relies on an object it did not write: claim it, then check it is there.
            var remote = PoolJobs.RemoteNames.First(r => target.Remote == r);
            var claim = $$"""{"format":"rclonepool-claim","format_version":1,"objects":[{"remote":"{{remote}}","object":"{{target.Path}}"}]}""";
            await jobs.Memory.WriteBytesAsync(new RemotePath("c:", "rclonepool_manifests/claims/" + ManifestNames.NewId() + ".json"), System.Text.Encoding.UTF8.GetBytes(claim), None);
            found = await jobs.Memory.StatAsync(target, None) is not null;
            claimed = target;
        });

        var report = await new OrphanCollector(jobs.Pool).FindAsync(Sweep, None);

        Assert.True(found);
        Assert.NotNull(claimed);
        Assert.NotNull(await jobs.Memory.StatAsync(claimed.Value, None)); // the object the upload found is still where it found it
        Assert.Equal(report.Chunks.Count - 1, report.ChunksDeleted); // everything else went
        Assert.Empty(PoolJobs.RemoteNames.SelectMany(r => jobs.Memory.Keys(r, "rclonepool_manifests/swept")));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task An_upload_that_reuses_the_objects_and_finishes_inside_the_window_reads_back_after_the_sweep(string mode)
    {
        var data = Content(mode);
        await using var jobs = await DeletedFileAsync(mode, data);
        await using var other = await TestPool.CreateAsync(jobs.Memory, c => Configure(c, mode));
        Interleave(jobs, FirstRemoval, _ => other.Pool.PutAsync(PoolPath.Parse("/new.img"), new MemoryStream(data), data.Length, PutOptions.Default, None));

        await new OrphanCollector(jobs.Pool).FindAsync(Sweep, None);

        Assert.Equal(data, await CompressedPoolTests.ReadAsync(other.Pool, "/new.img"));
        Assert.True((await new Verifier(other.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
        Assert.Empty(PoolJobs.RemoteNames.SelectMany(r => jobs.Memory.Keys(r, "rclonepool_manifests/swept")));
    }

    [Fact]
    public async Task An_upload_that_looks_after_the_objects_were_set_aside_writes_them_again_and_both_copies_agree()
    {
        var data = Content("none");
        await using var jobs = await DeletedFileAsync("none", data);
        await using var other = await TestPool.CreateAsync(jobs.Memory, c => Configure(c, "none"));
        bool AfterSetAside(string operation, RemotePath target) =>
            operation == "list" && target.Path.EndsWith("/claims", StringComparison.Ordinal)
            && PoolJobs.RemoteNames.Any(r => jobs.Memory.Keys(r, "rclonepool_manifests/swept").Any());
        Interleave(jobs, AfterSetAside, _ => other.Pool.PutAsync(PoolPath.Parse("/new.img"), new MemoryStream(data), data.Length, PutOptions.Default, None));

        await new OrphanCollector(jobs.Pool).FindAsync(Sweep, None);

        Assert.Equal(data, await CompressedPoolTests.ReadAsync(other.Pool, "/new.img"));
        Assert.True((await new Verifier(other.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
        Assert.Equal(4, jobs.DataKeys().Count());
    }

    [Fact]
    public async Task Objects_a_stopped_sweep_left_aside_go_back_when_a_manifest_names_them_and_go_when_nothing_does()
    {
        var data = Content("none");
        await using var jobs = await PoolJobs.CreateAsync(c => Configure(c, "none"));
        var kept = await jobs.PutAsync("/kept.img", data);
        var gone = await jobs.PutAsync("/gone.img", PoolJobs.Data(Chunk, 9));
        await jobs.Pool.DeleteAsync(PoolPath.Parse("/gone.img"), false, None);
        foreach (var location in new[] { kept.Chunks[1].Locations[0], gone.Chunks[0].Locations[0] })
        {
            var name = location.Object[(location.Object.LastIndexOf('/') + 1)..];
            await jobs.Memory.MoveAsync(new RemotePath(location.Remote, location.Object), new RemotePath(location.Remote, "rclonepool_manifests/swept/" + name), None);
        }

        var report = await new OrphanCollector(jobs.Pool).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);

        Assert.Equal(1, report.ChunksDeleted);
        Assert.Equal(data, await jobs.ReadAsync("/kept.img"));
        Assert.Equal(4, jobs.DataKeys().Count());
        Assert.Empty(PoolJobs.RemoteNames.SelectMany(r => jobs.Memory.Keys(r, "rclonepool_manifests/swept")));
    }
}
