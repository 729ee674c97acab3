using RclonePool.Plugins;

namespace BadThrowingConstructor;

/// <summary>A balancer whose constructor throws: it never loads, and says why.</summary>
public sealed class ThrowingBalancer : IBalancerPlugin
{
    public ThrowingBalancer() => throw new InvalidOperationException("this plugin is broken on purpose");

    public PluginMetadata Metadata { get; } = new("throws", "1.0.0", "tests", "Throws in its constructor.", PluginType.Balancer);

    public string SelectRemote(IReadOnlyList<RemoteCandidate> remotes, long chunkSize) => throw new NotSupportedException();
}
