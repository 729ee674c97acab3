using Microsoft.Extensions.DependencyInjection;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Placement;
using RclonePool.Core.Pool;
using RclonePool.Core.Redundancy;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

public sealed class PoolBuilderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Parts_set_on_the_builder_are_the_parts_the_pool_uses()
    {
        var balancer = new CountingBalancer();
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"), build: b => b.UseBalancer(balancer).UseRedundancy(RedundancyPolicy.FromConfig(new() { RedundancyMode = "replication", ReplicationFactor = 2 })));

        await test.Pool.PutAsync(PoolPath.Parse("/f.bin"), new MemoryStream(new byte[100_000]), 100_000, PutOptions.Default, Ct);

        var manifest = await test.Pool.GetManifestAsync(PoolPath.Parse("/f.bin"), Ct);
        Assert.Equal("replication", manifest!.Redundancy.Mode);
        Assert.All(manifest.Chunks, c => Assert.Equal(2, c.Locations.Count));
        Assert.True(balancer.Calls > 0, "the balancer given to the builder placed the copies");
    }

    [Fact]
    public async Task A_host_gets_the_pool_and_its_jobs_from_its_services()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"));

        using var services = new ServiceCollection().AddRclonePool(test.Pool).BuildServiceProvider();

        Assert.Same(test.Pool, services.GetRequiredService<IPoolFileSystem>());
        var report = await services.GetRequiredService<Verifier>().VerifyAsync(new VerifyOptions { Scope = PoolPath.Root, Quick = true }, Ct);
        Assert.True(report.Clean);
        Assert.NotNull(services.GetRequiredService<HealthChecker>());
        Assert.NotNull(services.GetRequiredService<Restorer>());
        Assert.NotNull(services.GetRequiredService<OrphanCollector>());
        Assert.NotNull(services.GetRequiredService<IndexRebuilder>());
        Assert.NotNull(services.GetRequiredService<Rebalancer>());
        Assert.NotNull(services.GetRequiredService<RemoteMembership>());
    }

    private sealed class CountingBalancer : IBalancer
    {
        private readonly LeastUsedBalancer _inner = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "counting";

        public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
        {
            Interlocked.Increment(ref _calls);
            return _inner.Choose(candidates, bytes);
        }
    }
}
