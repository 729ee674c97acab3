using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool;

/// <summary>
/// How a <see cref="ManifestStore"/> uses manifest packs: whether it writes them (<c>manifest_packing</c>), the pool
/// they belong to, and the pool format the descriptors named at open (a pool already holding packs needs tombstones on
/// delete even when this process writes none).
/// </summary>
public sealed record ManifestPacking(bool Write, string PoolId, int PoolFormatVersion, TimeProvider Time)
{
    public static ManifestPacking Off { get; } = new(false, string.Empty, PoolDescriptor.PlainFormatVersion, TimeProvider.System);
}
