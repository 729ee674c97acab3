namespace RclonePool.Server.Live;

/// <summary>
/// One encoded server message (UTF-8 JSON), shared by every client it goes to. Frames with the same
/// <see cref="CoalesceKey"/> replace each other in a client's queue while unsent (progress of one path: the latest wins).
/// </summary>
internal sealed record LiveFrame(int TopicBit, string? CoalesceKey, ReadOnlyMemory<byte> Payload);
