using RclonePool.Core.Jobs;
using RclonePool.Core.Pool;

// The conventional namespace of IServiceCollection extensions, so a host finds AddRclonePool without another using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers an open pool and the jobs built on it with a host's services.</summary>
public static class RclonePoolServiceCollectionExtensions
{
    /// <summary>
    /// Adds <paramref name="pool"/> (opened with <see cref="PoolBuilder"/>: opening reads the remotes, so it is async and
    /// happens before the host is built) as <see cref="StoragePool"/> and <see cref="IPoolFileSystem"/>, and the jobs
    /// over it as singletons: <see cref="Verifier"/>, <see cref="HealthChecker"/>, <see cref="Restorer"/>,
    /// <see cref="OrphanCollector"/>, <see cref="IndexRebuilder"/>. The host owns the pool: it disposes it after the
    /// host stops.
    /// </summary>
    public static IServiceCollection AddRclonePool(this IServiceCollection services, StoragePool pool)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(pool);
        services.AddSingleton(pool);
        services.AddSingleton<IPoolFileSystem>(pool);
        services.AddSingleton(new Verifier(pool));
        services.AddSingleton(new HealthChecker(pool));
        services.AddSingleton(new Restorer(pool));
        services.AddSingleton(new OrphanCollector(pool));
        services.AddSingleton(new IndexRebuilder(pool));
        services.AddSingleton(new Rebalancer(pool));
        services.AddSingleton(new RemoteMembership(pool));
        return services;
    }
}
