using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Pool;

/// <summary>
/// Configured remotes without a pool descriptor (see <see cref="PoolIdentity"/>): read around, never written to,
/// until 'init' or 'rebuild' claims them. Thread-safe.
/// </summary>
internal sealed class UnclaimedRemotes(ILogger logger)
{
    private volatile IReadOnlyList<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    /// <summary>Sets the remotes found without a descriptor when the pool opens, and warns about them.</summary>
    public void Found(IReadOnlyList<string> names)
    {
        _names = names;
        if (names.Count > 0)
        {
            logger.LogWarning(
                "{Remotes} {Verb} no pool descriptor: new, or emptied since it was used (a deleted directory, a replaced account). Reads go on from the other remotes and nothing new is written there. Run 'rclonepool init' to add a new remote, or 'rclonepool rebuild' to restore a lost one.",
                string.Join(", ", names), names.Count == 1 ? "has" : "have");
        }
    }

    /// <summary>After a claim: the remotes still without a descriptor.</summary>
    public void StillUnclaimed(IReadOnlyList<string> names) => _names = names;
}
