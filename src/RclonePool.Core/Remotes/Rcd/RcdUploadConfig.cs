using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// The per-call rclone configuration (rc <c>_config</c>) of an <c>operations/uploadfile</c> call.
/// <para>
/// rclonepool hashes what it sends and verifies every byte it reads back, so rclone's own upload checksum is skipped
/// (<c>IgnoreChecksum</c>). And rclone reads the first <c>--streaming-upload-cutoff</c> bytes of every upload (100 KiB
/// by default) into a fresh buffer to learn whether the object is small; the buffer then stays referenced by rclone's
/// transfer statistics. For a manifest of a few hundred bytes that is 100 KiB of garbage per object, which made a busy
/// daemon hold hundreds of MiB and spend a large part of its time collecting it. When every object of a call is known
/// to be smaller than the default cutoff, the cutoff of that call is lowered to the next power of two above the
/// largest object: rclone takes exactly the path it takes by default (a small, known-size upload), with a buffer
/// that fits. A cutoff the user set (flag or environment) is left alone.
/// </para>
/// </summary>
internal sealed class RcdUploadConfig
{
    /// <summary>rclone's default <c>--streaming-upload-cutoff</c>.</summary>
    private const long RcloneDefaultCutoff = 100 * 1024;

    private const int SmallestCutoffShift = 10; // 1 KiB
    private const int LargestCutoffShift = 16; // 64 KiB, the largest power of two below the default

    private readonly string _plain = Escape("{\"IgnoreChecksum\":true}");
    private readonly string[]? _sized;

    public RcdUploadConfig(RcloneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!UserSetsCutoff(options))
        {
            _sized = new string[LargestCutoffShift - SmallestCutoffShift + 1];
            for (var shift = SmallestCutoffShift; shift <= LargestCutoffShift; shift++)
            {
                _sized[shift - SmallestCutoffShift] = Escape($"{{\"IgnoreChecksum\":true,\"StreamingUploadCutoff\":{1L << shift}}}");
            }
        }
    }

    /// <summary>The escaped <c>_config</c> value for a call whose largest object has <paramref name="largestObject"/> bytes (-1: unknown).</summary>
    public string For(long largestObject)
    {
        if (_sized is null || largestObject < 0 || largestObject >= RcloneDefaultCutoff)
        {
            return _plain;
        }

        // rclone takes the small-object path when the object is strictly shorter than the cutoff.
        var shift = Math.Max(SmallestCutoffShift, 64 - long.LeadingZeroCount(largestObject));
        return shift <= LargestCutoffShift ? _sized[shift - SmallestCutoffShift] : _plain;
    }

    private static bool UserSetsCutoff(RcloneOptions options) =>
        options.Flags.Any(flag => flag.StartsWith("--streaming-upload-cutoff", StringComparison.Ordinal))
        || options.Environment.ContainsKey("RCLONE_STREAMING_UPLOAD_CUTOFF")
        || Environment.GetEnvironmentVariable("RCLONE_STREAMING_UPLOAD_CUTOFF") is not null;

    private static string Escape(string json) => Uri.EscapeDataString(json);
}
