namespace RclonePool.Core.Pool;

/// <summary>
/// One remote of the pool: <see cref="Name"/> as written in the config's <c>remotes</c> (used in manifests and
/// for space accounting) and <see cref="Storage"/>, the remote that receives the bytes (its crypt overlay
/// when <c>use_crypt</c> is on, otherwise the same remote).
/// </summary>
public sealed record PoolRemote(string Name, string Storage)
{
    public static IReadOnlyList<PoolRemote> FromConfig(Config.PoolConfig config) =>
        [.. config.Remotes.Select((name, i) => new PoolRemote(name, config.StorageRemote(i)))];
}
