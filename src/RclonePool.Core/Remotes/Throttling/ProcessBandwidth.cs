using System.Collections.Concurrent;

namespace RclonePool.Core.Remotes.Throttling;

/// <summary>
/// The bandwidth limiters of the process: one per direction and rate, shared by every pool and transfer that asks for
/// that rate, so that parallel uploads (or two pools opened by one server) share one budget rather than each getting
/// the whole rate.
/// </summary>
public static class ProcessBandwidth
{
    private static readonly ConcurrentDictionary<(string, double), BandwidthLimiter> Limiters = new();

    /// <summary>The shared upload limiter for <paramref name="megabitsPerSecond"/>, or null for 0 (unlimited).</summary>
    public static BandwidthLimiter? Upload(double megabitsPerSecond) => Get("up", megabitsPerSecond);

    /// <summary>The shared download limiter for <paramref name="megabitsPerSecond"/>, or null for 0 (unlimited).</summary>
    public static BandwidthLimiter? Download(double megabitsPerSecond) => Get("down", megabitsPerSecond);

    private static BandwidthLimiter? Get(string direction, double megabitsPerSecond) =>
        megabitsPerSecond > 0 ? Limiters.GetOrAdd((direction, megabitsPerSecond), key => new BandwidthLimiter(key.Item2)) : null;
}
