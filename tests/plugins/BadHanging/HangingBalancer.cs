using RclonePool.Plugins;

namespace BadHanging;

/// <summary>A balancer that never answers: the pool times it out, places the chunk itself, and disables it after 3 tries.</summary>
public sealed class HangingBalancer : IBalancerPlugin
{
    public PluginMetadata Metadata { get; } = new("hangs", "1.0.0", "tests", "Never answers.", PluginType.Balancer);

    public string SelectRemote(IReadOnlyList<RemoteCandidate> remotes, long chunkSize)
    {
        Thread.Sleep(Timeout.Infinite);
        return string.Empty;
    }
}
