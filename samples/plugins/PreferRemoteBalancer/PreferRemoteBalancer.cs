using RclonePool.Plugins;

namespace PreferRemoteBalancer;

/// <summary>
/// <c>balancer:prefer_remote</c>: every chunk goes to the remote named by the setting <c>remote</c> (a pool remote as
/// the config writes it) while it has room; without the setting, to the remote with the most free space. When the named
/// remote is not offered (full, failing, or not in the pool), its answer is not a candidate, and rclonepool places that
/// chunk with the configured balancing_strategy.
/// </summary>
public sealed class PreferRemoteBalancer : IBalancerPlugin
{
    private string? _remote;

    public PluginMetadata Metadata { get; } = new("prefer_remote", "1.0.0", "rclonepool samples", "Puts every chunk on one chosen remote while it has room.", PluginType.Balancer);

    public void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _remote = settings.GetValueOrDefault("remote");
    }

    public string SelectRemote(IReadOnlyList<RemoteCandidate> remotes, long chunkSize)
    {
        ArgumentNullException.ThrowIfNull(remotes);
        return _remote ?? remotes.MaxBy(r => r.Free ?? long.MaxValue)!.Name;
    }
}
