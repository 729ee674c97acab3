using RclonePool.Core.Events;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Tests.Unit.Jobs;

public sealed class DuplicateDetectionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<PoolEntry> PutFileAsync(PoolJobs jobs, string path, string local)
    {
        await using var stream = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        return await jobs.Pool.PutAsync(PoolPath.Parse(path), stream, stream.Length, PutOptions.Default, None);
    }

    [Fact]
    public async Task A_local_file_with_content_already_in_the_pool_stores_no_chunks()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data((3 * PoolJobs.Chunk) + 1, 1);
        var local = jobs.LocalFile(data);
        await PutFileAsync(jobs, "/a", local);
        var chunks = jobs.DataKeys().ToHashSet();
        jobs.Script.Calls.Clear();

        var entry = await PutFileAsync(jobs, "/b", local);

        Assert.Equal(PoolPath.Parse("/a"), entry.DuplicateOf);
        Assert.Equal(chunks, jobs.DataKeys().ToHashSet());
        Assert.Equal(6, jobs.Script.Calls["write"]); // 3 markers + 3 manifests, no chunk
        Assert.Equal(data, await jobs.ReadAsync("/b"));
        Assert.Contains(jobs.Events, e => e.Type == PoolEventType.PostUpload && e.Path == "/b" && e.Detail!.Contains("duplicate of /a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_found_to_be_a_duplicate_removes_its_own_chunks_again()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 1);
        var a = await jobs.PutAsync("/a", data);
        var b = await jobs.PutAsync("/b", data);

        Assert.Equal(a.Chunks.SelectMany(c => c.Locations), b.Chunks.SelectMany(c => c.Locations));
        Assert.Equal(2, jobs.DataKeys().Count());
    }

    [Fact]
    public async Task Deleting_either_copy_never_removes_chunks_the_other_needs_and_orphans_reclaims_them_at_the_end()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 1);
        await jobs.PutAsync("/a", data);
        await jobs.PutAsync("/b", data);

        await jobs.Pool.DeleteAsync(PoolPath.Parse("/a"), false, None);
        Assert.Equal(data, await jobs.ReadAsync("/b"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
        Assert.Empty((await new OrphanCollector(jobs.Pool).FindAsync(new OrphanOptions { MinAge = TimeSpan.Zero }, None)).Chunks);

        await jobs.PutAsync("/c", data);
        await jobs.PutAsync("/b", PoolJobs.Data(5000, 9)); // overwrite retires /b's shared chunks (5000 bytes: stored as a chunk, not inline)
        Assert.Equal(data, await jobs.ReadAsync("/c"));
        await jobs.Pool.DeleteAsync(PoolPath.Parse("/c"), false, None);
        Assert.Equal(3, jobs.DataKeys().Count()); // kept for orphans: their content was shared

        var report = await new OrphanCollector(jobs.Pool).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        Assert.Equal(2, report.ChunksDeleted);
        Assert.Single(jobs.DataKeys());
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
    }

    [Fact]
    public async Task Overwriting_a_file_with_its_own_content_keeps_its_chunks()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 1);
        var first = await jobs.PutAsync("/a", data);
        var second = await jobs.PutAsync("/a", data);
        Assert.Equal(2, second.Revision);
        Assert.Equal(first.Chunks.SelectMany(c => c.Locations), second.Chunks.SelectMany(c => c.Locations));
        Assert.Equal(data, await jobs.ReadAsync("/a"));
        Assert.Equal(2, jobs.DataKeys().Count());
    }

    [Fact]
    public async Task A_candidate_with_a_missing_chunk_is_not_borrowed()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 1);
        var a = await jobs.PutAsync("/a", data);
        jobs.Memory.Remove(PoolJobs.Key(a.Chunks[0].Locations[0]));

        var entry = await jobs.Pool.PutAsync(PoolPath.Parse("/b"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        Assert.Null(entry.DuplicateOf);
        Assert.Equal(data, await jobs.ReadAsync("/b"));
    }

    [Fact]
    public async Task With_duplicate_detection_off_every_upload_stores_its_own_chunks()
    {
        await using var jobs = await PoolJobs.CreateAsync(c => c.EnableDuplicateDetection = false);
        var data = PoolJobs.Data(2 * PoolJobs.Chunk, 1);
        var local = jobs.LocalFile(data);
        await PutFileAsync(jobs, "/a", local);
        Assert.Null((await PutFileAsync(jobs, "/b", local)).DuplicateOf);
        Assert.Equal(4, jobs.DataKeys().Count());
    }
}
