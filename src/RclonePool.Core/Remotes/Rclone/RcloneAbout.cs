using System.Text.Json.Serialization;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>rclone's <c>about --json</c> and <c>operations/about</c> reply; absent members are unknown to the backend.</summary>
internal sealed class RcloneAbout
{
    [JsonPropertyName("total")]
    public long? Total { get; set; }

    [JsonPropertyName("used")]
    public long? Used { get; set; }

    [JsonPropertyName("free")]
    public long? Free { get; set; }

    /// <summary>The usage, or null when the backend reported none of the three numbers.</summary>
    public RemoteUsage? ToUsage() => Total is null && Used is null && Free is null ? null : new RemoteUsage(Total, Used, Free);
}
