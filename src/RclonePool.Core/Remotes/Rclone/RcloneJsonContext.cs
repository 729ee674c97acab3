using System.Text.Json.Serialization;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>Source-generated JSON for rclone's replies (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(RcloneItem))]
[JsonSerializable(typeof(RcloneAbout))]
[JsonSerializable(typeof(RcReplies.ListReply))]
[JsonSerializable(typeof(RcReplies.StatReply))]
[JsonSerializable(typeof(RcReplies.ErrorReply))]
[JsonSerializable(typeof(RcReplies.RemotesReply))]
[JsonSerializable(typeof(RcReplies.FsInfoReply))]
internal sealed partial class RcloneJsonContext : JsonSerializerContext;
