using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Jobs;

/// <summary>
/// Rebalancing a pool of in-memory remotes: files stored on a:, b:, c:, then d: joins empty. The proof against real rclone
/// and a killed process is in the integration tests (Cli/CliRebalanceTests).
/// </summary>
public sealed class RebalanceTests : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemoryRemoteStore _memory = new("a:", "b:", "c:", "d:");
    private readonly ScriptedRemoteStore _script;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestPool> _pools = [];
    private readonly Dictionary<string, byte[]> _files = [];

    public RebalanceTests() => _script = new ScriptedRemoteStore(_memory);

    private static void Redundancy(PoolConfig config, string mode)
    {
        config.RedundancyMode = mode;
        config.ReplicationFactor = 2;
        config.ParityDataShards = 2;
        config.ParityParityShards = 1;
    }

    /// <summary>Opens the pool over a:, b:, c: (and d: when <paramref name="withD"/>), sharing one index directory.</summary>
    private async Task<StoragePool> OpenAsync(string mode, bool withD, params string[] draining)
    {
        var test = await TestPool.CreateAsync(_script, c =>
        {
            c.Remotes = withD ? ["a:", "b:", "c:", "d:"] : ["a:", "b:", "c:"];
            c.DrainingRemotes = [.. draining];
            c.ManifestCacheDir = _directory;
            Redundancy(c, mode);
        }, _directory);
        _pools.Add(test);
        return test.Pool;
    }

    /// <summary>12 files of 4 chunks on a:, b:, c:; then the pool reopened with d: added.</summary>
    private async Task<StoragePool> FilledPoolWithNewRemoteAsync(string mode)
    {
        var before = await OpenAsync(mode, withD: false);
        for (var i = 0; i < 12; i++)
        {
            var data = new byte[(4 * Chunk) - (i * 100)];
            new Random(i).NextBytes(data);
            _files[$"/dir/f{i}.bin"] = data;
            await before.PutAsync(PoolPath.Parse($"/dir/f{i}.bin"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        }

        var after = await OpenAsync(mode, withD: true);
        Assert.Equal(12, await new RemoteMembership(after).JoinAsync("d:", None));
        return after;
    }

    private async Task AssertEveryFileReadsBackAsync(StoragePool pool)
    {
        foreach (var (path, data) in _files)
        {
            await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, None);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, None);
            Assert.True(data.AsSpan().SequenceEqual(buffer.ToArray()), $"{path} reads back changed");
        }
    }

    private async Task AssertIntactAsync(StoragePool pool)
    {
        await AssertEveryFileReadsBackAsync(pool);
        var verify = await new Verifier(pool).VerifyAsync(new VerifyOptions(), None);
        Assert.True(verify.Clean, string.Join("; ", verify.Damage));
        foreach (var path in _files.Keys)
        {
            var manifest = (await pool.GetManifestAsync(PoolPath.Parse(path), None))!;
            Assert.All(manifest.Chunks, c => Assert.Equal(c.Locations.Count, c.Locations.Select(l => l.Remote).Distinct().Count()));
        }
    }

    private Dictionary<string, string> Snapshot() =>
        _memory.Objects.ToDictionary(o => o.Key, o => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(o.Value)));

    [Theory]
    [InlineData("none")]
    [InlineData("replication")]
    [InlineData("parity")]
    public async Task A_new_remote_receives_its_share_and_every_file_stays_intact_with_nothing_left_over(string mode)
    {
        var pool = await FilledPoolWithNewRemoteAsync(mode);
        var events = new List<PoolEvent>();
        using var subscription = pool.Events.Subscribe(e => { lock (events) { events.Add(e); } }, PoolEventType.ChunkMoved);

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0 }, None);

        Assert.True(report.Plan.VarianceBefore > 50, $"before {report.Plan.VarianceBefore}");
        Assert.True(report.VarianceAfter <= 5.0, $"after {report.VarianceAfter}");
        Assert.Empty(report.Failed);
        Assert.Equal(report.Plan.Moves.Count, report.Moved.Count);
        Assert.Equal(report.Moved.Count, events.Count);
        Assert.All(report.Moved, m => Assert.Equal("d:", m.To));
        await AssertIntactAsync(pool);

        var orphans = await new OrphanCollector(pool).FindAsync(new OrphanOptions { MinAge = TimeSpan.Zero }, None);
        Assert.Empty(orphans.Chunks);
        Assert.Empty(orphans.StaleManifests);

        var status = await new Rebalancer(pool).StatusAsync(None);
        Assert.False(status.AboveThreshold);
        Assert.True(status.Remotes.Single(r => r.Remote == "d:").Objects > 0);

        var again = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0 }, None);
        Assert.Empty(again.Plan.Moves);
    }

    [Fact]
    public async Task A_dry_run_plans_the_moves_and_changes_nothing()
    {
        var pool = await FilledPoolWithNewRemoteAsync("replication");
        var before = Snapshot();

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { DryRun = true }, None);

        Assert.NotEmpty(report.Plan.Moves);
        Assert.True(report.Plan.ReachesTarget);
        Assert.Empty(report.Moved);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public async Task A_negative_target_variance_is_refused_and_nothing_changes(double target)
    {
        var pool = await FilledPoolWithNewRemoteAsync("none");
        var before = Snapshot();

        var e = await Assert.ThrowsAsync<PoolException>(() => new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { TargetVariance = target }, None));

        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("--target-variance", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Rebalance_refuses_to_start_while_a_remote_does_not_answer()
    {
        var pool = await FilledPoolWithNewRemoteAsync("none");
        var before = Snapshot();
        _script.Fail = (op, target) => target.Remote == "b:" && op == "list" ? new PoolException(PoolErrorKind.Transient, "b: is down") : null;

        var e = await Assert.ThrowsAsync<PoolException>(() => new Rebalancer(pool).RebalanceAsync(new RebalanceOptions(), None));

        Assert.Equal(PoolErrorKind.Transient, e.Kind);
        Assert.Contains("b:", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was moved", e.Message, StringComparison.Ordinal);
        _script.Fail = (_, _) => null;
        Assert.Equal(before, Snapshot());
    }

    /// <summary>
    /// The process "dies" after its Nth write or delete: every later call fails, so nothing it would still do reaches
    /// the remotes (no clean-up either). A new process over the same index then reads every file, finishes the job, and
    /// 'orphans --delete' leaves exactly the objects the manifests name.
    /// </summary>
    public static TheoryData<string, int> KillPoints =>
        [.. from mode in new[] { "none", "replication", "parity" } from n in new[] { 1, 2, 3, 5, 8, 13, 21, 34, 55 } select (mode, n)];

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task Interrupted_at_any_write_or_delete_every_file_still_reads_and_a_second_run_finishes(string mode, int dieAfter)
    {
        var pool = await FilledPoolWithNewRemoteAsync(mode);
        var mutations = 0;
        _script.Fail = (op, target) => op is "write" or "delete" or "move" && Interlocked.Increment(ref mutations) > dieAfter
            ? new PoolException(PoolErrorKind.Environment, "the process was killed")
            : null;

        try
        {
            await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0, Workers = 2 }, None);
        }
        catch (PoolException)
        {
            // what the dying process saw does not matter
        }

        _script.Fail = (_, _) => null;
        var restarted = await OpenAsync(mode, withD: true);
        await AssertEveryFileReadsBackAsync(restarted);

        var rerun = await new Rebalancer(restarted).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0 }, None);
        Assert.Empty(rerun.Failed);
        Assert.True(rerun.VarianceAfter <= 5.0, $"after the re-run {rerun.VarianceAfter}: {rerun.Plan.Moves.Count} moves planned, {rerun.Moved.Count} done, {rerun.Skipped} skipped, variance planned {rerun.Plan.VarianceAfter}");

        var orphans = await new OrphanCollector(restarted).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        Assert.Empty(orphans.Blockers);
        await AssertIntactAsync(restarted);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in _files.Keys)
        {
            var manifest = (await restarted.GetManifestAsync(PoolPath.Parse(path), None))!;
            referenced.UnionWith(manifest.Chunks.SelectMany(c => c.Locations).Select(l => RemotePath.Join(l.Remote, l.Object)));
        }

        var stored = new[] { "a:", "b:", "c:", "d:" }.SelectMany(r => _memory.Keys(r, "rclonepool_data")).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(referenced.Order(), stored.Order());
    }

    public static TheoryData<string, int> CancelPoints =>
        [.. from mode in new[] { "none", "parity" } from n in new[] { 1, 2, 4, 7 } select (mode, n)];

    /// <summary>
    /// Ctrl-C while a new manifest revision is being written (the remotes complete the writes already sent): the move
    /// either commits or leaves nothing, never a revision naming copies that were removed.
    /// </summary>
    [Theory]
    [MemberData(nameof(CancelPoints))]
    public async Task Cancelled_while_a_manifest_is_written_every_file_still_reads_and_a_second_run_finishes(string mode, int cancelAt)
    {
        var pool = await FilledPoolWithNewRemoteAsync(mode);
        using var stop = new CancellationTokenSource();
        var manifests = 0;
        _script.WritesOutliveCancellation = true;
        _script.Fail = (op, target) =>
        {
            if (op == "write" && target.Path.StartsWith("rclonepool_manifests/", StringComparison.Ordinal) && Interlocked.Increment(ref manifests) == cancelAt)
            {
                stop.Cancel();
            }

            return null;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0, Workers = 2 }, stop.Token));
        _script.Fail = (_, _) => null;
        _script.WritesOutliveCancellation = false;

        var restarted = await OpenAsync(mode, withD: true);
        await AssertEveryFileReadsBackAsync(restarted);
        var rerun = await new Rebalancer(restarted).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0 }, None);
        Assert.Empty(rerun.Failed);
        await new OrphanCollector(restarted).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        await AssertIntactAsync(restarted);
    }

    /// <summary>Every chunk of every file: its objects' remotes, in manifest order.</summary>
    private async Task<Dictionary<(string, int), string[]>> LayoutAsync(StoragePool pool)
    {
        var layout = new Dictionary<(string, int), string[]>();
        foreach (var path in _files.Keys)
        {
            var manifest = (await pool.GetManifestAsync(PoolPath.Parse(path), None))!;
            foreach (var chunk in manifest.Chunks)
            {
                layout[(path, chunk.Index)] = [.. chunk.Locations.Select(l => l.Remote)];
            }
        }

        return layout;
    }

    [Theory]
    [InlineData("none")]
    [InlineData("replication")]
    [InlineData("parity")]
    public async Task Drain_moves_every_object_off_a_remote_and_every_chunk_keeps_as_many_objects_on_distinct_remotes(string mode)
    {
        var spread = await FilledPoolWithNewRemoteAsync(mode);
        await new Rebalancer(spread).RebalanceAsync(new RebalanceOptions(), None);
        var before = await LayoutAsync(spread);
        Assert.Contains(before.Values, remotes => remotes.Contains("a:"));

        var pool = await OpenAsync(mode, withD: true, draining: "a:");
        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true }, None);

        Assert.Equal(0, report.LeftOnDraining);
        Assert.Empty(report.Failed);
        var after = await LayoutAsync(pool);
        Assert.All(after.Values, remotes => Assert.DoesNotContain("a:", remotes));
        Assert.All(after, chunk => Assert.Equal(before[chunk.Key].Length, chunk.Value.Length));
        await AssertIntactAsync(pool);
        var orphans = await new OrphanCollector(pool).FindAsync(new OrphanOptions { MinAge = TimeSpan.Zero }, None);
        Assert.Empty(orphans.Chunks);
        Assert.Empty(_memory.Keys("a:", "rclonepool_data"));

        await pool.PutAsync(PoolPath.Parse("/new.bin"), new MemoryStream(new byte[3 * Chunk]), 3 * Chunk, PutOptions.Default, None);
        var added = (await pool.GetManifestAsync(PoolPath.Parse("/new.bin"), None))!;
        Assert.All(added.Chunks.SelectMany(c => c.Locations), l => Assert.NotEqual("a:", l.Remote));
    }

    [Fact]
    public async Task A_drain_with_another_remote_dead_moves_every_object_that_has_somewhere_to_go_and_drops_none()
    {
        var spread = await FilledPoolWithNewRemoteAsync("parity");
        await new Rebalancer(spread).RebalanceAsync(new RebalanceOptions(), None);
        var before = await LayoutAsync(spread);
        var pool = await OpenAsync("parity", withD: true, draining: "a:");
        _script.Fail = (_, target) => target.Remote == "c:" ? new PoolException(PoolErrorKind.Transient, "c: is dead") : null;

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true }, None);

        // A chunk's objects on a: go to b: or d:; one whose other objects already fill both could only go to c:, which is dead.
        var stuck = before.Values.Count(remotes => remotes.Contains("a:") && remotes.Contains("b:") && remotes.Contains("d:"));
        Assert.Equal(stuck, report.LeftOnDraining);
        Assert.Empty(report.Failed);
        Assert.All(await LayoutAsync(pool), chunk =>
        {
            Assert.DoesNotContain("c:", chunk.Value.Except(before[chunk.Key]));
            Assert.Equal(before[chunk.Key].Length, chunk.Value.Distinct().Count());
        });
        await AssertEveryFileReadsBackAsync(pool);
    }

    [Fact]
    public async Task Draining_remotes_whose_chunks_have_nowhere_else_to_go_leaves_those_chunks_and_says_so()
    {
        var pool = await FilledPoolWithNewRemoteAsync("replication");
        await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions(), None);
        var before = Snapshot();

        // Copies of every chunk on two remotes; with b:, c: and d: draining, a chunk on a: and b: has nowhere to go.
        var draining = await OpenAsync("replication", withD: true, draining: ["b:", "c:", "d:"]);
        var report = await new Rebalancer(draining).RebalanceAsync(new RebalanceOptions { Drain = true, DryRun = true }, None);

        Assert.True(report.LeftOnDraining > 0);
        Assert.All(report.Plan.Moves, m => Assert.Equal("a:", m.To));
        Assert.Equal(before, Snapshot());
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _pools.Count - 1; i >= 0; i--)
        {
            await _pools[i].DisposeAsync();
        }
    }
}
