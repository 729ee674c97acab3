using RclonePool.Plugins;

namespace BadOtherContract;

/// <summary>A balancer built against RclonePool.Plugins 2.0.0: a 1.x host refuses it before running any of its code.</summary>
public sealed class FutureBalancer : IBalancerPlugin
{
    public PluginMetadata Metadata { get; } = new("future", "2.0.0", "tests", "Built against another contract version.", PluginType.Balancer);

    public string SelectRemote(IReadOnlyList<RemoteCandidate> remotes, long chunkSize)
    {
        ArgumentNullException.ThrowIfNull(remotes);
        return remotes[0].Name;
    }
}
