using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Commands;

internal static class PoolDirectories
{
    /// <summary>Creates a directory and any missing parents (like mkdir -p).</summary>
    public static async Task EnsureAsync(IPoolFileSystem pool, PoolPath directory, CancellationToken cancellationToken)
    {
        var missing = new Stack<PoolPath>();
        for (var p = directory; !p.IsRoot && await pool.StatAsync(p, cancellationToken) is null; p = p.Parent)
        {
            missing.Push(p);
        }

        while (missing.TryPop(out var p))
        {
            await pool.MkdirAsync(p, cancellationToken);
        }
    }
}
