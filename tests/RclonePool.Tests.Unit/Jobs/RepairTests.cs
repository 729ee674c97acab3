using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Tests.Unit.Jobs;

public sealed class RepairTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<RepairReport> RepairAsync(PoolJobs jobs, string path, string local) =>
        new Restorer(jobs.Pool).RepairAsync(PoolPath.Parse(path), local, null, null, None);

    [Fact]
    public async Task Missing_truncated_and_corrupt_chunks_are_rewritten_from_the_local_copy_under_new_ids()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data((4 * PoolJobs.Chunk) + 9, 1);
        var before = await jobs.PutAsync("/f", data);
        var missing = before.Chunks[0].Locations[0];
        var truncated = before.Chunks[1].Locations[0];
        var corrupt = before.Chunks[3].Locations[0];
        jobs.Memory.Remove(PoolJobs.Key(missing));
        jobs.Memory.Put(PoolJobs.Key(truncated), jobs.Memory.Objects[PoolJobs.Key(truncated)][..10]);
        jobs.Memory.Objects[PoolJobs.Key(corrupt)][7] ^= 1;

        var report = await RepairAsync(jobs, "/f", jobs.LocalFile(data));

        Assert.Equal([(0, DamageKind.Missing), (1, DamageKind.Truncated), (3, DamageKind.Corrupt)], report.Rewritten.Select(r => (r.Chunk, r.Kind)));
        Assert.Equal(2, report.Revision);
        Assert.Equal(data, await jobs.ReadAsync("/f"));
        var after = (await jobs.Pool.GetManifestAsync(PoolPath.Parse("/f"), None))!;
        Assert.Equal(before.Chunks[2].Locations, after.Chunks[2].Locations);
        Assert.DoesNotContain(after.Chunks.SelectMany(c => c.Locations), l => l.Object == missing.Object || l.Object == truncated.Object || l.Object == corrupt.Object);
        Assert.False(jobs.Memory.Objects.ContainsKey(PoolJobs.Key(truncated)));
        Assert.False(jobs.Memory.Objects.ContainsKey(PoolJobs.Key(corrupt)));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
        Assert.Single(jobs.Events, e => e.Type == PoolEventType.FileRepaired && e.Path == "/f");
        Assert.Equal(3, PoolJobs.RemoteNames.Sum(r => jobs.Memory.Keys(r, "rclonepool_manifests").Count()));
    }

    [Fact]
    public async Task A_local_file_with_other_content_is_refused_and_nothing_changes()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 1);
        var manifest = await jobs.PutAsync("/f", data);
        jobs.Memory.Remove(PoolJobs.Key(manifest.Chunks[0].Locations[0]));
        var before = jobs.Memory.Objects.Keys.ToHashSet();
        var other = (byte[])data.Clone();
        other[^1] ^= 1;

        var e = await Assert.ThrowsAsync<PoolException>(() => RepairAsync(jobs, "/f", jobs.LocalFile(other)));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("is not the content of /f", e.Message, StringComparison.Ordinal);
        var shorter = await Assert.ThrowsAsync<PoolException>(() => RepairAsync(jobs, "/f", jobs.LocalFile(data[..100])));
        Assert.Contains("not the same file", shorter.Message, StringComparison.Ordinal);
        Assert.Equal(before, jobs.Memory.Objects.Keys.ToHashSet());
        Assert.DoesNotContain(jobs.Events, e => e.Type == PoolEventType.FileRepaired);
    }

    [Fact]
    public async Task Directories_and_missing_local_files_are_refused_as_bad_input()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.PutAsync("/d/f", PoolJobs.Data(10, 1));
        Assert.Contains("is a directory", (await Assert.ThrowsAsync<PoolException>(() => RepairAsync(jobs, "/d/f", jobs.Test.Directory))).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<PoolException>(() => RepairAsync(jobs, "/d/f", "/no/such/file"))).Message, StringComparison.Ordinal);
        Assert.Equal(PoolErrorKind.BadInput, (await Assert.ThrowsAsync<PoolException>(() => RepairAsync(jobs, "/d", jobs.LocalFile([1])))).Kind);
        Assert.Equal(PoolErrorKind.NotFound, (await Assert.ThrowsAsync<PoolException>(() => RepairAsync(jobs, "/nope", jobs.LocalFile([1])))).Kind);
    }

    [Fact]
    public async Task An_intact_file_needs_no_repair_and_missing_manifest_copies_are_written_again()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(PoolJobs.Chunk + 1, 1);
        var manifest = await jobs.PutAsync("/f", data);
        var local = jobs.LocalFile(data);
        Assert.True((await RepairAsync(jobs, "/f", local)).NothingToRepair);

        jobs.Memory.Remove(PoolJobs.ManifestKey("b:", manifest));
        jobs.Memory.Put(PoolJobs.ManifestKey("c:", manifest), "garbage"u8.ToArray());
        var report = await RepairAsync(jobs, "/f", local);

        Assert.Empty(report.Rewritten);
        Assert.Equal(["b:", "c:"], report.ManifestCopiesWritten.Order());
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
    }
}
