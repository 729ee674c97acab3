namespace RclonePool.Core.Index;

/// <summary>
/// What the pool holds, as the index counts it: the figures a recursive listing of the root and a read of every
/// current manifest would give, answered without either.
/// </summary>
/// <param name="Files">Files (directory objects not included).</param>
/// <param name="Directories">Directories, explicit and implied, the root not included (what a recursive listing of the root shows).</param>
/// <param name="Bytes">Logical bytes: the sum of the files' sizes.</param>
/// <param name="Remotes">Per remote named by a current manifest: its objects and stored bytes. A remote no manifest names is absent.</param>
public sealed record PoolTotals(long Files, long Directories, long Bytes, IReadOnlyDictionary<string, RemoteTotals> Remotes)
{
    public static readonly PoolTotals Empty = new(0, 0, 0, new Dictionary<string, RemoteTotals>(StringComparer.Ordinal));
}
