namespace RclonePool.Server.Live.Payloads;

/// <summary>subscribed / unsubscribed: the topics the client now receives.</summary>
internal sealed record TopicReply(string Topic, IReadOnlyList<string> Topics);
