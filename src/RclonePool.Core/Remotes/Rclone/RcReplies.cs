using System.Text.Json.Serialization;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>The envelopes of rc replies (<c>operations/list</c>, <c>operations/stat</c>, errors, <c>config/listremotes</c>).</summary>
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
}
