using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool;

/// <summary>
/// How a <see cref="ManifestStore"/> uses manifest packs: whether it writes them (<c>manifest_packing</c>), the pool
/// they belong to, and the pool format the descriptors named at open (a pool already holding packs needs tombstones on
/// delete even when this process writes none), and how long a write waits for others to share its pack.
/// </summary>
public sealed record ManifestPacking(bool Write, string PoolId, int PoolFormatVersion, TimeProvider Time)
{
    /// <summary>
    /// How long a call waits for the manifests of uploads finishing about the same time, to carry them in one pack: on a
    /// remote account a call costs a round trip and counts against its rate limits.
    /// </summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The wait for a local directory in a server: a call there takes a millisecond and its objects cost little, while
    /// each client waits for its own write (8 WebDAV clients PUTting small files waited the 20 ms per file: 0.11-0.18x
    /// rclone serve webdav). A directory upload keeps <see cref="DefaultLinger"/>: with 64 files in flight the wait
    /// costs it nothing, and its packs hold many manifests.
    /// </summary>
    public static readonly TimeSpan ServingLocalLinger = TimeSpan.FromMilliseconds(2);

    /// <summary>The wait for a local directory (<see cref="DefaultLinger"/> unless the pool serves clients).</summary>
    public TimeSpan LocalLinger { get; init; } = DefaultLinger;

    public static ManifestPacking Off { get; } = new(false, string.Empty, PoolDescriptor.PlainFormatVersion, TimeProvider.System);
}
