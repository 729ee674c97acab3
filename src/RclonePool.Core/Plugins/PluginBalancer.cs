using RclonePool.Core.Placement;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// A balancer plugin as the placement session's <see cref="IBalancer"/>: the plugin's answer when it names one of the
/// remotes offered, else (a wrong name, an exception, a time-out, or the plugin disabled after repeated failures) the
/// configured strategy's, so a plugin never stops an upload.
/// </summary>
public sealed class PluginBalancer(IBalancerPlugin plugin, PluginGuard guard, IBalancer fallback) : IBalancer
{
    public string Name => guard.Id;

    public PluginGuard Guard => guard;

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (guard.IsDisabled)
        {
            return fallback.Choose(candidates, bytes);
        }

        var offered = candidates.Select(c => new RemoteCandidate(c.Remote, c.Available, c.Used, c.Weight)).ToList();
        var consequence = $"the chunk goes where {fallback.Name} puts it";
        string? Check(string? answer) => candidates.Any(c => string.Equals(c.Remote, answer, StringComparison.Ordinal))
            ? null
            : $"it chose \"{answer}\", which is not one of the remotes offered ({string.Join(", ", offered.Select(o => o.Name))})";
        if (guard.TryInvoke(() => plugin.SelectRemote(offered, bytes), consequence, out var chosen, Check))
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (string.Equals(candidates[i].Remote, chosen, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        return fallback.Choose(candidates, bytes);
    }
}
