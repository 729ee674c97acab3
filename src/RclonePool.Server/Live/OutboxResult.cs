namespace RclonePool.Server.Live;

/// <summary>What <see cref="ClientOutbox.Offer"/> did with a frame.</summary>
internal enum OutboxResult
{
    /// <summary>Queued behind the others.</summary>
    Queued,

    /// <summary>Replaced an unsent frame of the same key, in its place.</summary>
    Coalesced,

    /// <summary>The queue is full: the client is too far behind (the outbox is now closed).</summary>
    Overflow,

    /// <summary>The outbox is closed: nothing more goes to this client.</summary>
    Closed,
}
