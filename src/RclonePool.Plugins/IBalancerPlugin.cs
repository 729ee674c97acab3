namespace RclonePool.Plugins;

/// <summary>
/// <c>balancer</c>: chooses the remote of the next stored object. Called under the placement lock, so it must be quick;
/// an answer that is not one of <c>remotes</c>, an exception or a time-out makes the pool use the configured
/// <c>balancing_strategy</c> for that object.
/// </summary>
public interface IBalancerPlugin : IPlugin
{
    /// <summary>The <see cref="RemoteCandidate.Name"/> of one of <paramref name="remotes"/> (never empty, all able to hold <paramref name="chunkSize"/> bytes).</summary>
    string SelectRemote(IReadOnlyList<RemoteCandidate> remotes, long chunkSize);
}
