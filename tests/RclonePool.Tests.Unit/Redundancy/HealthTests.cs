using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>health: each file's state and margin from one listing per remote, per-remote availability, and --deep.</summary>
public sealed class HealthTests
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;
    private static readonly string[] Six = SixRemotes.Names;
    private static readonly int[] Sizes = SixRemotes.Sizes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestPool> CreateAsync(Core.Remotes.IRemoteStore store, Action<PoolConfig> configure) => SixRemotes.CreateAsync(store, configure);

    private static void Parity(PoolConfig c) => SixRemotes.Parity(4, 2)(c);

    private static void Replication(PoolConfig c) => SixRemotes.Replication(3)(c);

    private static Task UploadAllAsync(StoragePool pool) => SixRemotes.UploadAllAsync(pool);

    private static void LoseData(InMemoryRemoteStore store, string remote) => SixRemotes.LoseData(store, remote);

    private static void Corrupt(InMemoryRemoteStore store, string remote) => SixRemotes.Corrupt(store, remote);

    private static Task<HealthReport> HealthAsync(StoragePool pool, bool deep = false) =>
        new HealthChecker(pool).CheckAsync(PoolPath.Root, new HealthOptions { Deep = deep }, Ct);

    /// <summary>The margin the rule of docs/redundancy.md gives a file once <paramref name="lost"/> remotes lost their data.</summary>
    private static int ExpectedMargin(Manifest manifest, params string[] lost) => manifest.Chunks.Min(c =>
    {
        var left = c.Locations.Count(l => !lost.Contains(l.Remote));
        if (c.Inline is not null)
        {
            return HealthRule.ToleranceOf(manifest.Redundancy); // held in the manifest, on every remote
        }

        return c.Locations.Any(l => l.Role == LocationRole.Shard)
            ? (manifest.Redundancy.DataShards + manifest.Redundancy.ParityShards - c.Locations.Count) + left - manifest.Redundancy.DataShards // data shards without bytes have no object
            : left - 1;
    });

    private static async Task AssertFilesFollowTheRuleAsync(StoragePool pool, HealthReport report, params string[] lost)
    {
        Assert.Equal(Sizes.Length, report.Files.Count);
        foreach (var file in report.Files)
        {
            var manifest = (await pool.GetManifestAsync(PoolPath.Parse(file.Path), Ct))!;
            var margin = ExpectedMargin(manifest, lost);
            var touched = manifest.Chunks.Any(c => c.Locations.Any(l => lost.Contains(l.Remote)));
            var state = margin < 0 ? HealthState.Lost : !touched ? HealthState.Healthy : margin == 0 ? HealthState.Critical : HealthState.Degraded;
            Assert.True(state == file.State && margin == file.Margin, $"{file.Path}: expected {state} margin {margin}, got {file.State} margin {file.Margin}");
            Assert.Equal(manifest.Chunks.Sum(c => c.Locations.Count(l => lost.Contains(l.Remote))), file.Problems.Count);
            Assert.All(file.Problems, p => Assert.Equal(DamageKind.Missing, p.Kind));
        }
    }

    [Fact]
    public async Task A_whole_parity_pool_is_healthy_from_two_listings_per_remote_and_publishes_HEALTH_CHECKED()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        var events = new List<PoolEvent>();
        using var subscription = test.Pool.Events.Subscribe(events.Add, PoolEventType.HealthChecked);

        var report = await HealthAsync(test.Pool);

        Assert.Equal(HealthState.Healthy, report.State);
        Assert.All(report.Files, f => Assert.Equal((HealthState.Healthy, 2, 2, "parity"), (f.State, f.Tolerance, f.Margin, f.Mode)));
        Assert.All(report.Files, f => Assert.Equal(f.ObjectsExpected, f.ObjectsAvailable));
        Assert.All(report.Remotes, r => Assert.True(r.Reachable && r.ObjectsExpected == r.ObjectsPresent && r.ObjectsExpected > 0));
        Assert.Equal(report.Files.Sum(f => f.ObjectsExpected), report.Remotes.Sum(r => r.ObjectsExpected));
        Assert.Empty(report.ManifestProblems);
        Assert.Equal(2 * Six.Length, report.RemoteCalls); // manifests and data listed once per remote; no call per chunk
        var published = Assert.Single(events);
        Assert.Equal("/", published.Path);
        Assert.StartsWith("healthy: 6 files", published.Detail, StringComparison.Ordinal);
        Assert.Equal("HEALTH_CHECKED", published.Type.HookName());
    }

    [Fact]
    public async Task Losing_one_remote_of_4_plus_2_leaves_files_degraded_with_margin_1()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        LoseData(store, "b:");

        var report = await HealthAsync(test.Pool);

        Assert.Equal(HealthState.Degraded, report.State);
        Assert.Equal(1, report.Margin);
        await AssertFilesFollowTheRuleAsync(test.Pool, report, "b:");
        Assert.Contains(report.Files, f => f.State == HealthState.Degraded);
        var b = Assert.Single(report.Remotes, r => r.Name == "b:");
        Assert.True(b.Reachable);
        Assert.Equal((0, b.ObjectsExpected), (b.ObjectsPresent, b.ObjectsMissing));
        Assert.All(report.Remotes.Where(r => r.Name != "b:"), r => Assert.Equal(r.ObjectsExpected, r.ObjectsPresent));
    }

    [Fact]
    public async Task Losing_two_remotes_of_4_plus_2_leaves_full_stripes_critical()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        LoseData(store, "b:");
        LoseData(store, "e:");

        var report = await HealthAsync(test.Pool);

        Assert.Equal(HealthState.Critical, report.State);
        await AssertFilesFollowTheRuleAsync(test.Pool, report, "b:", "e:");
        var big = Assert.Single(report.Files, f => f.Path == $"/f{(5 * MiB) + 12_345}.bin");
        Assert.Equal((HealthState.Critical, 0, 2), (big.State, big.Margin, big.Tolerance));
    }

    [Fact]
    public async Task Losing_three_remotes_of_4_plus_2_loses_full_stripes()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        LoseData(store, "a:");
        LoseData(store, "c:");
        LoseData(store, "d:");

        var report = await HealthAsync(test.Pool);

        Assert.Equal(HealthState.Lost, report.State);
        await AssertFilesFollowTheRuleAsync(test.Pool, report, "a:", "c:", "d:");
        var big = Assert.Single(report.Files, f => f.Path == $"/f{(5 * MiB) + 12_345}.bin");
        Assert.Equal((HealthState.Lost, -1), (big.State, big.Margin));
        Assert.Contains("lost", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replication_3_is_degraded_after_one_lost_remote_and_critical_where_two_copies_are_gone()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Replication);
        await UploadAllAsync(test.Pool);
        Assert.All((await HealthAsync(test.Pool)).Files, f => Assert.Equal((HealthState.Healthy, 2, 2, "replication"), (f.State, f.Tolerance, f.Margin, f.Mode)));

        LoseData(store, "c:");
        var one = await HealthAsync(test.Pool);
        await AssertFilesFollowTheRuleAsync(test.Pool, one, "c:");
        Assert.Equal(HealthState.Degraded, one.State);

        LoseData(store, "f:");
        var two = await HealthAsync(test.Pool);
        await AssertFilesFollowTheRuleAsync(test.Pool, two, "c:", "f:");
        Assert.DoesNotContain(two.Files, f => f.State == HealthState.Lost);
    }

    [Fact]
    public async Task A_file_without_redundancy_is_healthy_when_whole_and_lost_when_a_chunk_is_missing()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, _ => { });
        var data = new byte[5 * MiB];
        await test.Pool.PutAsync(PoolPath.Parse("/plain.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        var whole = Assert.Single((await HealthAsync(test.Pool)).Files);
        Assert.Equal((HealthState.Healthy, 0, 0, "none"), (whole.State, whole.Tolerance, whole.Margin, whole.Mode));

        var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse("/plain.bin"), Ct))!;
        LoseData(store, manifest.Chunks[1].Locations[0].Remote);

        var report = await HealthAsync(test.Pool);
        Assert.Equal(HealthState.Lost, Assert.Single(report.Files).State);
        Assert.Equal(HealthState.Lost, report.State);
    }

    [Fact]
    public async Task An_unreachable_remote_counts_its_objects_unavailable_and_is_reported()
    {
        var memory = new InMemoryRemoteStore(Six);
        var store = new ScriptedRemoteStore(memory);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        store.Fail = (op, target) => op == "list" && target.Remote == "c:" ? new PoolException(PoolErrorKind.Transient, "connection refused") : null;

        var report = await HealthAsync(test.Pool);

        var c = Assert.Single(report.Remotes, r => r.Name == "c:");
        Assert.False(c.Reachable);
        Assert.Contains("connection refused", c.Error, StringComparison.Ordinal);
        Assert.Equal((0, c.ObjectsExpected), (c.ObjectsPresent, c.ObjectsMissing));
        Assert.True(c.ObjectsExpected > 0);
        Assert.Equal(HealthState.Degraded, report.State);
        Assert.Contains("unreachable: c:", report.Summary(), StringComparison.Ordinal);
        foreach (var file in report.Files.Where(f => f.State != HealthState.Healthy))
        {
            Assert.Equal(1, file.Margin);
            var problem = Assert.Single(file.Problems);
            Assert.Equal((DamageKind.Unreachable, "c:"), (problem.Kind, problem.Remote));
        }

        Assert.Contains(report.Files, f => f.State == HealthState.Degraded);
    }

    [Fact]
    public async Task Deep_catches_a_bit_flip_that_sizes_cannot_see()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        Corrupt(store, "d:");

        var quick = await HealthAsync(test.Pool);
        Assert.Equal(HealthState.Healthy, quick.State);

        var deep = await HealthAsync(test.Pool, deep: true);

        Assert.True(deep.Deep);
        Assert.Equal(HealthState.Degraded, deep.State);
        Assert.True(deep.BytesRead > 0);
        var d = Assert.Single(deep.Remotes, r => r.Name == "d:");
        Assert.Equal((0, d.ObjectsExpected), (d.ObjectsPresent, d.ObjectsDamaged));
        Assert.All(deep.Files.SelectMany(f => f.Problems), p => Assert.Equal((DamageKind.Corrupt, "d:"), (p.Kind, p.Remote)));
        Assert.All(deep.Files.Where(f => f.Problems.Count > 0), f => Assert.Equal((HealthState.Degraded, 1), (f.State, f.Margin)));
    }

    [Fact]
    public async Task A_manifest_missing_on_one_remote_is_reported_and_the_pool_is_not_healthy()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse("/f1.bin"), Ct))!;
        Assert.True(store.Remove(Assert.Single(store.Keys("e:", "rclonepool_manifests"), k => k.EndsWith(manifest.ObjectName, StringComparison.Ordinal))));

        var report = await HealthAsync(test.Pool);

        Assert.All(report.Files, f => Assert.Equal(HealthState.Healthy, f.State));
        var problem = Assert.Single(report.ManifestProblems);
        Assert.Equal(("/f1.bin", "e:", DamageKind.ManifestDisagreement), (problem.Path, problem.Remote, problem.Kind));
        Assert.Equal(1, Assert.Single(report.Remotes, r => r.Name == "e:").ManifestsMissing);
        Assert.Equal(HealthState.Degraded, report.State);
    }

    [Fact]
    public async Task A_scope_checks_only_the_files_below_it_and_an_unknown_path_is_not_found()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);

        var one = await new HealthChecker(test.Pool).CheckAsync(PoolPath.Parse("/f1.bin"), new HealthOptions(), Ct);

        Assert.Equal("/f1.bin", Assert.Single(one.Files).Path);
        var e = await Assert.ThrowsAsync<PoolException>(() => new HealthChecker(test.Pool).CheckAsync(PoolPath.Parse("/nope"), new HealthOptions(), Ct));
        Assert.Equal(PoolErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Rebuild_brings_a_degraded_pool_back_to_healthy()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, Parity);
        await UploadAllAsync(test.Pool);
        LoseData(store, "a:");
        LoseData(store, "f:");
        Assert.Equal(HealthState.Critical, (await HealthAsync(test.Pool)).State);

        Assert.True((await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct)).Complete);

        var report = await HealthAsync(test.Pool, deep: true);
        Assert.True(report.Healthy, report.Summary());
    }

    [Fact]
    public async Task The_monitor_checks_at_start_and_stops_when_cancelled()
    {
        var store = new InMemoryRemoteStore(Six);
        await using var test = await CreateAsync(store, c =>
        {
            Parity(c);
            c.EnableHealthMonitoring = true;
            c.HealthCheckInterval = 3600;
        });
        await UploadAllAsync(test.Pool);
        LoseData(store, "b:");
        var monitor = new HealthMonitor(test.Pool, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = monitor.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => monitor.Last is not null, "the first health check");
        await stop.CancelAsync();
        await run;

        Assert.Equal(TimeSpan.FromHours(1), monitor.Interval);
        Assert.Equal(HealthState.Degraded, monitor.Last!.State);
    }
}
