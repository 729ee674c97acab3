using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Jobs;

public sealed class OrphansTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<OrphanReport> OrphansAsync(PoolJobs jobs, bool delete, TimeSpan? minAge = null) =>
        new OrphanCollector(jobs.Pool).FindAsync(new OrphanOptions { Delete = delete, MinAge = minAge ?? TimeSpan.Zero }, None);

    [Fact]
    public async Task Unreferenced_chunk_objects_are_listed_with_sizes_and_removed_only_with_delete()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.PutAsync("/f", PoolJobs.Data(3 * PoolJobs.Chunk, 1));
        var referenced = jobs.DataKeys().ToHashSet();
        await jobs.Memory.WriteBytesAsync(new RemotePath("b:", "rclonepool_data/ab/ab000000000000000000000000000000"), new byte[1000], None);
        await jobs.Memory.WriteBytesAsync(new RemotePath("c:", "rclonepool_data/cd/cd000000000000000000000000000000"), new byte[24], None);

        var listed = await OrphansAsync(jobs, delete: false);
        Assert.Equal(2, listed.Chunks.Count);
        Assert.Equal(1024, listed.OrphanBytes);
        Assert.Equal(3, listed.ReferencedChunks);
        Assert.Equal(5, jobs.DataKeys().Count());

        var removed = await OrphansAsync(jobs, delete: true);
        Assert.Equal((2, 1024L), (removed.ChunksDeleted, removed.BytesDeleted));
        Assert.Equal(referenced, jobs.DataKeys().ToHashSet());
        Assert.Equal(PoolJobs.Data(3 * PoolJobs.Chunk, 1), await jobs.ReadAsync("/f"));
    }

    [Fact]
    public async Task The_temporary_file_of_an_interrupted_direct_write_is_an_orphan_and_a_finished_manifest_is_not()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk, 1));
        var partial = new RemotePath("b:", $"rclonepool_manifests/{manifest.ObjectName}.0badf00d.partial");
        await jobs.Memory.WriteBytesAsync(partial, new byte[17], None);

        var report = await OrphansAsync(jobs, delete: true);

        var orphan = Assert.Single(report.Chunks);
        Assert.Equal((partial.Path, 17L, "temporary file of an interrupted write"), (orphan.Object, orphan.Size, orphan.Note));
        Assert.Equal(1, report.ChunksDeleted);
        Assert.False(jobs.Memory.Objects.ContainsKey(RemotePath.Join(partial.Remote, partial.Path)));
        Assert.Equal(PoolJobs.Data(PoolJobs.Chunk, 1), await jobs.ReadAsync("/f"));
    }

    [Fact]
    public async Task Objects_younger_than_the_grace_period_are_left_alone()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        jobs.Memory.Clock = () => DateTimeOffset.UtcNow;
        await jobs.Memory.WriteBytesAsync(new RemotePath("a:", "rclonepool_data/ab/ab000000000000000000000000000001"), new byte[10], None);

        var report = await OrphansAsync(jobs, delete: true, TimeSpan.FromHours(1));
        Assert.False(Assert.Single(report.Chunks).OldEnough);
        Assert.Equal(0, report.ChunksDeleted);
        Assert.Single(jobs.DataKeys());
    }

    [Fact]
    public async Task Stale_manifest_revisions_go_first_then_the_chunks_only_they_named()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var first = await jobs.PutAsync("/f", PoolJobs.Data(2 * PoolJobs.Chunk, 1));
        var leftover = jobs.Memory.Objects.Where(o => o.Key.Contains(first.ObjectName, StringComparison.Ordinal)).ToDictionary(o => o.Key, o => o.Value);
        var firstChunks = first.Chunks.SelectMany(c => c.Locations).Select(PoolJobs.Key).ToList();
        var firstChunkBytes = firstChunks.ToDictionary(k => k, k => jobs.Memory.Objects[k]);
        var second = await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk, 2));

        // As if the overwrite was killed before it removed revision 1 and its chunks.
        foreach (var (key, value) in leftover.Concat(firstChunkBytes))
        {
            jobs.Memory.Put(key, value);
        }

        var report = await OrphansAsync(jobs, delete: true);

        Assert.Equal(3, report.StaleManifests.Count);
        Assert.Equal(3, report.ManifestsDeleted);
        Assert.Equal(2, report.ChunksDeleted);
        Assert.All(report.Chunks, c => Assert.Equal("only a stale manifest revision names it", c.Note));
        Assert.Equal(second.Chunks.SelectMany(c => c.Locations).Select(PoolJobs.Key).ToHashSet(), jobs.DataKeys().ToHashSet());
        Assert.Equal(PoolJobs.Data(PoolJobs.Chunk, 2), await jobs.ReadAsync("/f"));
    }

    [Fact]
    public async Task Nothing_is_removed_while_a_manifest_from_a_newer_rclonepool_cannot_be_read()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk, 1));
        await jobs.Memory.WriteBytesAsync(new RemotePath("a:", "rclonepool_data/ab/ab000000000000000000000000000002"), new byte[10], None);
        var newer = manifest with { Revision = 2, FormatVersion = 7 };
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Put(PoolJobs.ManifestKey(remote, newer), ManifestSerializer.Serialize(newer));
        }

        var report = await OrphansAsync(jobs, delete: true);

        Assert.False(report.Deleted);
        Assert.Contains("revision 2 of /f has no readable copy", Assert.Single(report.Blockers), StringComparison.Ordinal);
        Assert.Equal(2, jobs.DataKeys().Count());
    }

    [Fact]
    public async Task A_torn_manifest_beside_a_readable_revision_is_removed_as_stale()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk, 1));
        var torn = PoolJobs.ManifestKey("b:", manifest with { Revision = 2 });
        jobs.Memory.Put(torn, "{\"format\":\"rclonepool-manif"u8.ToArray());

        var report = await OrphansAsync(jobs, delete: true);

        Assert.Empty(report.Blockers);
        Assert.Equal(2, Assert.Single(report.StaleManifests).Revision);
        Assert.False(jobs.Memory.Objects.ContainsKey(torn));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), None)).Clean);
    }

    [Fact]
    public async Task Nothing_is_removed_while_a_remote_cannot_be_listed()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.Memory.WriteBytesAsync(new RemotePath("a:", "rclonepool_data/ab/ab000000000000000000000000000003"), new byte[10], None);
        jobs.Script.Fail = (op, target) => op == "list" && target.Remote == "c:" ? new Core.Errors.PoolException(Core.Errors.PoolErrorKind.Transient, "c: down") : null;

        var report = await OrphansAsync(jobs, delete: true);
        Assert.False(report.Deleted);
        Assert.Equal(1, report.UnreachableRemotes);
        Assert.Single(jobs.DataKeys());
    }

    [Fact]
    public async Task Delete_brings_the_index_in_line_with_the_remotes_before_removing_chunks()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/ghost", PoolJobs.Data(PoolJobs.Chunk, 1));
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Remove(PoolJobs.ManifestKey(remote, manifest));
        }

        // As if an upload was killed after writing its manifest but before the index knew it.
        var hidden = manifest with { FileId = ManifestNames.NewId(), Path = "/hidden", Chunks = [], Size = 0, Sha256 = new string('0', 64) };
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Put(PoolJobs.ManifestKey(remote, hidden), ManifestSerializer.Serialize(hidden));
        }

        var report = await OrphansAsync(jobs, delete: true);

        Assert.Equal(2, report.IndexCorrections);
        Assert.Null(await jobs.Pool.StatAsync(PoolPath.Parse("/ghost"), None));
        Assert.NotNull(await jobs.Pool.StatAsync(PoolPath.Parse("/hidden"), None));
        Assert.Empty(jobs.DataKeys());
    }

    [Fact]
    public async Task The_lean_survey_of_a_report_finds_what_the_whole_manifests_of_delete_find()
    {
        // 'orphans' keeps lean manifests (chunk locations only); '--delete' keeps them whole (it corrects the index with
        // them). On a seeded pool both must find the same (the report of --delete lists what it found before removing).
        await using var jobs = await PoolJobs.CreateAsync();
        var first = await jobs.PutAsync("/f", PoolJobs.Data(2 * PoolJobs.Chunk, 1));
        var leftover = jobs.Memory.Objects.Where(o => o.Key.Contains(first.ObjectName, StringComparison.Ordinal) || first.Chunks.SelectMany(c => c.Locations).Any(l => o.Key == PoolJobs.Key(l)))
            .ToDictionary(o => o.Key, o => o.Value);
        var f = await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk, 2));
        foreach (var (key, value) in leftover)
        {
            jobs.Memory.Put(key, value);
        }

        var g = await jobs.PutAsync("/g", PoolJobs.Data((3 * PoolJobs.Chunk) + 1, 3));
        await jobs.PutAsync("/small", PoolJobs.Data(10, 4));
        await jobs.Memory.WriteBytesAsync(new RemotePath("b:", "rclonepool_data/ab/ab000000000000000000000000000003"), new byte[1000], None);
        await jobs.Memory.WriteBytesAsync(new RemotePath("c:", "rclonepool_data/cd/cd000000000000000000000000000004"), new byte[24], None);

        var report = await OrphansAsync(jobs, delete: false);
        var whole = await OrphansAsync(jobs, delete: true);

        Assert.Equal(4, report.Chunks.Count); // revision 1's two chunks and the two unreferenced objects
        Assert.Equal(2, report.Chunks.Count(c => c.Note == "only a stale manifest revision names it"));
        Assert.Equal(3, report.StaleManifests.Count);
        Assert.Equal(whole.Chunks, report.Chunks);
        Assert.Equal(whole.StaleManifests, report.StaleManifests);
        Assert.Equal(whole.StaleMarkers, report.StaleMarkers);
        Assert.Equal(whole.ReferencedChunks, report.ReferencedChunks);
        Assert.Equal(whole.Blockers, report.Blockers);
        Assert.Equal((4, 3), (whole.ChunksDeleted, whole.ManifestsDeleted));
        Assert.Equal(f.Chunks.Concat(g.Chunks).SelectMany(c => c.Locations).Select(PoolJobs.Key).ToHashSet(), jobs.DataKeys().ToHashSet());
        Assert.Equal(PoolJobs.Data(10, 4), await jobs.ReadAsync("/small"));
    }

    [Fact]
    public async Task Over_packed_manifests_the_lean_report_finds_what_delete_finds_and_keeps_what_a_manifest_names()
    {
        // Folded into packs, the records are parsed as they are read and kept lean (no record's bytes are held).
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.PutAsync("/f", PoolJobs.Data(2 * PoolJobs.Chunk, 1));
        var g = await jobs.PutAsync("/g", PoolJobs.Data((3 * PoolJobs.Chunk) + 1, 3));
        await jobs.PutAsync("/small", PoolJobs.Data(10, 4));
        await new ManifestCompactor(jobs.Pool).CompactAsync(full: true, None);
        var f = await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk, 2)); // revision 1 stays in the packs
        const string Unnamed = "rclonepool_data/ef/ef000000000000000000000000000005";
        await jobs.Memory.WriteBytesAsync(new RemotePath("a:", Unnamed), new byte[77], None);

        var report = await OrphansAsync(jobs, delete: false);
        var whole = await OrphansAsync(jobs, delete: true);

        Assert.Contains(report.Chunks, c => c.Object == Unnamed && c.Note is null);
        Assert.Equal(whole.Chunks, report.Chunks);
        Assert.Equal(whole.StaleManifests, report.StaleManifests);
        Assert.Equal(whole.ReferencedChunks, report.ReferencedChunks);
        Assert.Equal(whole.Blockers, report.Blockers);
        Assert.Equal(f.Chunks.Concat(g.Chunks).SelectMany(c => c.Locations).Select(PoolJobs.Key).ToHashSet(), jobs.DataKeys().ToHashSet());
        Assert.Equal(PoolJobs.Data(PoolJobs.Chunk, 2), await jobs.ReadAsync("/f"));
        Assert.Equal(PoolJobs.Data((3 * PoolJobs.Chunk) + 1, 3), await jobs.ReadAsync("/g"));
    }
}
