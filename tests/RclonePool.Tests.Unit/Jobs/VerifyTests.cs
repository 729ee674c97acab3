using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Tests.Unit.Jobs;

public sealed class VerifyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<VerifyReport> VerifyAsync(PoolJobs jobs, bool quick, string scope = "/") =>
        new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions { Quick = quick, Scope = PoolPath.Parse(scope) }, None);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_intact_pool_verifies_clean_and_each_file_is_reported(bool quick)
    {
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.PutAsync("/a", PoolJobs.Data((3 * PoolJobs.Chunk) + 5, 1));
        await jobs.PutAsync("/d/b", PoolJobs.Data(10, 2));
        await jobs.Pool.MkdirAsync(PoolPath.Parse("/empty"), None);

        var report = await VerifyAsync(jobs, quick);

        Assert.True(report.Clean, string.Join("\n", report.Damage));
        Assert.Equal(2, report.Files);
        Assert.Equal(1, report.Directories);
        Assert.Equal(4, report.Chunks); // /d/b's 10 bytes live inside its manifest: no chunk object to check
        Assert.Equal(quick ? 0 : (3 * PoolJobs.Chunk) + 5, report.BytesRead);
        Assert.Equal(2, jobs.Events.Count(e => e.Type == PoolEventType.FileVerified && e.Detail == "intact"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_chunk_is_reported_with_file_chunk_remote_and_raises_CHUNK_MISSING(bool quick)
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(3 * PoolJobs.Chunk, 1));
        var location = manifest.Chunks[1].Locations[0];
        jobs.Memory.Remove(PoolJobs.Key(location));

        var report = await VerifyAsync(jobs, quick);

        var damage = Assert.Single(report.Damage);
        Assert.Equal((DamageKind.Missing, "/f", 1, location.Remote, location.Object), (damage.Kind, damage.Path, damage.Chunk, damage.Remote, damage.Object));
        Assert.Contains(jobs.Events, e => e.Type == PoolEventType.ChunkMissing && e.Chunk == 1 && e.Remote == location.Remote);
        Assert.Contains(jobs.Events, e => e.Type == PoolEventType.FileVerified && e.Path == "/f" && e.Detail!.StartsWith("damaged", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_truncated_chunk_is_reported_as_truncated(bool quick)
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(2 * PoolJobs.Chunk, 1));
        var key = PoolJobs.Key(manifest.Chunks[0].Locations[0]);
        jobs.Memory.Put(key, jobs.Memory.Objects[key][..100]);

        var damage = Assert.Single((await VerifyAsync(jobs, quick)).Damage);
        Assert.Equal(DamageKind.Truncated, damage.Kind);
        Assert.Contains("100 of its 65536 bytes", damage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_bit_is_found_by_a_full_verify_only()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(2 * PoolJobs.Chunk, 1));
        jobs.Memory.Objects[PoolJobs.Key(manifest.Chunks[1].Locations[0])][4000] ^= 0x10;

        Assert.True((await VerifyAsync(jobs, quick: true)).Clean);
        var damage = Assert.Single((await VerifyAsync(jobs, quick: false)).Damage);
        Assert.Equal((DamageKind.Corrupt, 1), (damage.Kind, damage.Chunk));
        Assert.Contains("SHA-256", damage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quick_verify_lists_each_remote_twice_and_reads_nothing()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        for (var i = 0; i < 20; i++)
        {
            await jobs.PutAsync($"/f{i}", PoolJobs.Data((2 * PoolJobs.Chunk) + i, i));
        }

        jobs.Script.Calls.Clear();
        var report = await VerifyAsync(jobs, quick: true);

        Assert.True(report.Clean);
        Assert.Equal(6, jobs.Script.Calls.GetValueOrDefault("list"));
        Assert.Equal(0, jobs.Script.Calls.GetValueOrDefault("read"));
        Assert.Equal(0, jobs.Script.Calls.GetValueOrDefault("stat"));
        Assert.Equal(6, report.RemoteCalls);
    }

    [Fact]
    public async Task Manifest_copies_missing_stale_or_damaged_on_some_remotes_are_disagreements()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var first = await jobs.PutAsync("/f", PoolJobs.Data(100, 1));
        var firstBytes = jobs.Memory.Objects[PoolJobs.ManifestKey("a:", first)];
        var second = await jobs.PutAsync("/f", PoolJobs.Data(200, 2));
        jobs.Memory.Remove(PoolJobs.ManifestKey("a:", second));
        jobs.Memory.Put(PoolJobs.ManifestKey("a:", first), firstBytes);
        jobs.Memory.Put(PoolJobs.ManifestKey("c:", second), "{ garbage"u8.ToArray());

        foreach (var quick in new[] { true, false })
        {
            var report = await VerifyAsync(jobs, quick);
            var details = report.Damage.Where(d => d.Kind == DamageKind.ManifestDisagreement).ToDictionary(d => d.Remote!, d => d.Detail);
            Assert.Equal(2, details.Count);
            Assert.Contains("stale revision 1", details["a:"], StringComparison.Ordinal);
            Assert.Contains("not valid JSON", details["c:"], StringComparison.Ordinal);
        }

        jobs.Memory.Remove(PoolJobs.ManifestKey("a:", first));
        var missing = Assert.Single((await VerifyAsync(jobs, quick: true)).Damage, d => d.Remote == "a:");
        Assert.Contains("missing", missing.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_that_no_remote_can_read_is_reported_damaged()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/f", PoolJobs.Data(100, 1));
        var newer = ManifestSerializer.Serialize(manifest with { FormatVersion = 99, Revision = 2 }).AsSpan().ToArray();
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Put(PoolJobs.ManifestKey(remote, manifest with { Revision = 2 }), newer);
        }

        var report = await VerifyAsync(jobs, quick: false);
        var damage = Assert.Single(report.Damage, d => d.Kind == DamageKind.ManifestDamaged);
        Assert.Contains("newer rclonepool", damage.Detail, StringComparison.Ordinal);
        Assert.Contains("revision 1 is used", damage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_that_disagrees_with_the_remotes_is_reported_stale()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var manifest = await jobs.PutAsync("/gone", PoolJobs.Data(100, 1));
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Remove(PoolJobs.ManifestKey(remote, manifest));
        }

        var damage = Assert.Single((await VerifyAsync(jobs, quick: true)).Damage);
        Assert.Equal((DamageKind.IndexStale, "/gone"), (damage.Kind, damage.Path));
    }

    [Fact]
    public async Task A_remote_that_cannot_be_listed_is_reported_unreachable_not_damaged()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.PutAsync("/f", PoolJobs.Data(3 * PoolJobs.Chunk, 1));
        jobs.Script.Fail = (op, target) => op == "list" && target.Remote == "b:" ? new PoolException(PoolErrorKind.Transient, "b: is down") : null;

        var report = await VerifyAsync(jobs, quick: true);

        Assert.True(report.OnlyUnreachable);
        Assert.Contains(report.Damage, d => d.Path is null && d.Remote == "b:");
        Assert.Contains(report.Damage, d => d.Path == "/f" && d.Remote == "b:" && d.Detail.Contains("could not be checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scope_limits_the_check_and_an_unknown_scope_is_not_found()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var bad = await jobs.PutAsync("/other/f", PoolJobs.Data(5000, 1));
        await jobs.PutAsync("/mine/f", PoolJobs.Data(5000, 2));
        jobs.Memory.Remove(PoolJobs.Key(bad.Chunks[0].Locations[0]));

        var report = await VerifyAsync(jobs, quick: false, "/mine");
        Assert.True(report.Clean);
        Assert.Equal(1, report.Files);
        Assert.Equal(PoolErrorKind.NotFound, (await Assert.ThrowsAsync<PoolException>(() => VerifyAsync(jobs, quick: true, "/nowhere"))).Kind);
    }
    [Fact]
    public async Task A_quick_verify_over_lean_manifests_finds_on_a_damaged_pool_what_a_full_verify_finds()
    {
        // The quick check keeps every manifest lean (no digests, no checked inline data); on damage that the listed sizes
        // show, it must report exactly what the full check (whole manifests, every object read) reports.
        await using var jobs = await PoolJobs.CreateAsync();
        var missing = await jobs.PutAsync("/d/missing", PoolJobs.Data(3 * PoolJobs.Chunk, 1));
        var truncated = await jobs.PutAsync("/d/truncated", PoolJobs.Data((2 * PoolJobs.Chunk) + 7, 2));
        var grown = await jobs.PutAsync("/grown", PoolJobs.Data(PoolJobs.Chunk, 3));
        await jobs.PutAsync("/small", PoolJobs.Data(10, 4));
        var stale = await jobs.PutAsync("/stale", PoolJobs.Data(100, 5));
        var staleBytes = jobs.Memory.Objects[PoolJobs.ManifestKey("b:", stale)];
        var current = await jobs.PutAsync("/stale", PoolJobs.Data(200, 6));
        jobs.Memory.Remove(PoolJobs.ManifestKey("b:", current));
        jobs.Memory.Put(PoolJobs.ManifestKey("b:", stale), staleBytes);
        var gone = await jobs.PutAsync("/gone", PoolJobs.Data(50, 7));
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Remove(PoolJobs.ManifestKey(remote, gone));
        }

        jobs.Memory.Remove(PoolJobs.Key(missing.Chunks[1].Locations[0]));
        var cut = PoolJobs.Key(truncated.Chunks[2].Locations[0]);
        jobs.Memory.Put(cut, jobs.Memory.Objects[cut][..3]);
        var longer = PoolJobs.Key(grown.Chunks[0].Locations[0]);
        jobs.Memory.Put(longer, [.. jobs.Memory.Objects[longer], 1, 2, 3]);

        var quick = await VerifyAsync(jobs, quick: true);
        var full = await VerifyAsync(jobs, quick: false);

        Assert.Equal(full.Damage, quick.Damage);
        Assert.Equal((full.Files, full.Directories, full.Chunks), (quick.Files, quick.Directories, quick.Chunks));
        Assert.Equal(
            new HashSet<DamageKind> { DamageKind.IndexStale, DamageKind.Missing, DamageKind.Truncated, DamageKind.Corrupt, DamageKind.ManifestDisagreement },
            quick.Damage.Select(d => d.Kind).ToHashSet());
    }

    [Fact]
    public async Task A_quick_verify_still_finds_inline_data_that_does_not_match_its_digest()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        var intact = await jobs.PutAsync("/i", PoolJobs.Data(10, 1));
        var inline = Convert.FromBase64String(intact.Chunks[0].Inline!);
        inline[3] ^= 0x40;
        // As a newer revision, which the index takes (a quick check trusts the index's copy of a revision the remotes agree on).
        var damaged = intact with { Revision = intact.Revision + 1, Chunks = [intact.Chunks[0] with { Inline = Convert.ToBase64String(inline) }] };
        foreach (var remote in PoolJobs.RemoteNames)
        {
            jobs.Memory.Put(PoolJobs.ManifestKey(remote, damaged), ManifestSerializer.Serialize(damaged));
        }

        await jobs.Pool.Context.Index.PutAsync(damaged, None);

        foreach (var quick in new[] { true, false })
        {
            var damage = Assert.Single((await VerifyAsync(jobs, quick)).Damage);
            Assert.Equal((DamageKind.Corrupt, "/i", 0), (damage.Kind, damage.Path, damage.Chunk));
            Assert.Contains("does not match its SHA-256", damage.Detail, StringComparison.Ordinal);
        }
    }
    [Fact]
    public async Task Over_packed_manifests_a_quick_verify_finds_what_a_full_verify_finds()
    {
        // Folded into packs, the records are parsed as they are read and kept lean (no record's bytes are held).
        await using var jobs = await PoolJobs.CreateAsync();
        var missing = await jobs.PutAsync("/d/missing", PoolJobs.Data(3 * PoolJobs.Chunk, 1));
        var truncated = await jobs.PutAsync("/d/truncated", PoolJobs.Data((2 * PoolJobs.Chunk) + 7, 2));
        var unindexed = await jobs.PutAsync("/unindexed", PoolJobs.Data(PoolJobs.Chunk + 9, 3));
        await jobs.PutAsync("/small", PoolJobs.Data(10, 4));
        await new ManifestCompactor(jobs.Pool).CompactAsync(full: true, None);
        Assert.All(PoolJobs.RemoteNames, r => Assert.Contains(jobs.Memory.Keys(r, "rclonepool_manifests"), k => k.Contains("pack-", StringComparison.Ordinal)));
        Assert.DoesNotContain(PoolJobs.RemoteNames.SelectMany(r => jobs.Memory.Keys(r, "rclonepool_manifests")), k => k.EndsWith(missing.ObjectName, StringComparison.Ordinal));

        var lean = await jobs.Pool.Context.SurveyAsync(new SurveyOptions { Lean = true }, None);
        var copies = lean.Entries.SelectMany(e => e.Revisions).SelectMany(r => r.Copies).ToList();
        Assert.Equal(4 * PoolJobs.RemoteNames.Length, copies.Count);
        Assert.All(copies, c => Assert.True(c.Record is { Lean: not null, Bytes.Length: 0 } r && r.Length > 0 && c.Size == r.Length));
        Assert.All(lean.Entries, e => Assert.Same(e.Current, e.Revisions[0].Copies[0].Record!.Lean));

        jobs.Memory.Remove(PoolJobs.Key(missing.Chunks[2].Locations[0]));
        var cut = PoolJobs.Key(truncated.Chunks[0].Locations[0]);
        jobs.Memory.Put(cut, jobs.Memory.Objects[cut][..5]);
        await jobs.Pool.Context.Index.RemoveAsync(unindexed.FileId, None);

        var quick = await VerifyAsync(jobs, quick: true);
        var full = await VerifyAsync(jobs, quick: false);

        Assert.Equal(full.Damage, quick.Damage);
        Assert.Equal((full.Files, full.Chunks), (quick.Files, quick.Chunks));
        Assert.Equal(
            new HashSet<(DamageKind, string?)> { (DamageKind.Missing, "/d/missing"), (DamageKind.Truncated, "/d/truncated"), (DamageKind.IndexStale, "/unindexed") },
            quick.Damage.Select(d => (d.Kind, d.Path)).ToHashSet());
    }
}
