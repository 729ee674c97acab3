using System.Text.Json.Serialization;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>One entry as rclone's <c>lsjson</c> and <c>operations/list</c> write it.</summary>
internal sealed class RcloneItem
{
    [JsonPropertyName("Path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("Size")]
    public long Size { get; set; }

    [JsonPropertyName("ModTime")]
    public DateTimeOffset ModTime { get; set; }

    [JsonPropertyName("IsDir")]
    public bool IsDir { get; set; }

    /// <summary>The hashes asked for (operations/stat with showHash), by rclone's hash name; an empty value when the remote cannot tell.</summary>
    [JsonPropertyName("Hashes")]
    public Dictionary<string, string>? Hashes { get; set; }

    /// <summary>The entry with its path made relative to the remote root: <paramref name="prefix"/> is the listed directory's path as rclone saw it relative to the root.</summary>
    public RemoteEntry ToEntry(string prefix)
    {
        var path = prefix.Length == 0 ? Path : prefix + "/" + Path;
        return new RemoteEntry(path, IsDir ? 0 : Math.Max(Size, 0), ModTime, IsDir);
    }
}
