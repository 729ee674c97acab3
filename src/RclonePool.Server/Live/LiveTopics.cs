namespace RclonePool.Server.Live;

/// <summary>The topics a WebSocket client subscribes to (docs/events.md), each with a bit in a client's subscription mask.</summary>
public static class LiveTopics
{
    public const string UploadProgress = "upload_progress";
    public const string DownloadProgress = "download_progress";
    public const string Verification = "verification";
    public const string Health = "health";
    public const string Rebalance = "rebalance";
    public const string RemoteError = "remote_error";
    public const string Files = "files";
    public const string Stats = "stats";

    /// <summary>Every topic, in a fixed order (a topic's index is its bit).</summary>
    public static IReadOnlyList<string> All { get; } = [UploadProgress, DownloadProgress, Verification, Health, Rebalance, RemoteError, Files, Stats];

    /// <summary>The bit of <paramref name="topic"/>, or 0 for an unknown topic.</summary>
    public static int BitOf(string? topic)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], topic, StringComparison.Ordinal))
            {
                return 1 << i;
            }
        }

        return 0;
    }
}
