using System.Text.Json.Serialization;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>The envelopes of rc replies (<c>operations/list</c>, <c>operations/stat</c>, errors, <c>config/listremotes</c>, <c>operations/fsinfo</c>).</summary>
internal static class RcReplies
{
    internal sealed class ListReply
    {
        [JsonPropertyName("list")]
        public List<RcloneItem>? List { get; set; }
    }

    internal sealed class StatReply
    {
        [JsonPropertyName("item")]
        public RcloneItem? Item { get; set; }
    }

    internal sealed class ErrorReply
    {
        [JsonPropertyName("error")]
        public string? Error { get; set; }

        [JsonPropertyName("status")]
        public int? Status { get; set; }
    }

    internal sealed class RemotesReply
    {
        [JsonPropertyName("remotes")]
        public List<string>? Remotes { get; set; }
    }

    /// <summary><c>operations/fsinfo</c> (rc) or <c>rclone backend features</c>: where a remote lives.</summary>
    internal sealed class FsInfoReply
    {
        /// <summary>The remote's root; for the local backend an absolute directory.</summary>
        [JsonPropertyName("Root")]
        public string? Root { get; set; }

        /// <summary>The backend's optional features; <c>IsLocal</c> is true for rclone's local-filesystem backend.</summary>
        [JsonPropertyName("Features")]
        public Dictionary<string, bool>? Features { get; set; }

        /// <summary>The hash types the backend can report, in rclone's names (md5, sha1 …).</summary>
        [JsonPropertyName("Hashes")]
        public List<string>? Hashes { get; set; }

        /// <summary>The local directory behind the remote, or null when it is not rclone's local backend.</summary>
        public string? LocalDirectory =>
            Features is not null && Features.TryGetValue("IsLocal", out var local) && local && Root is { Length: > 0 } root && Path.IsPathFullyQualified(root)
                ? root
                : null;
    }
}
