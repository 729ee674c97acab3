namespace RclonePool.Core.Chunking;

/// <summary>Cuts a stream that is read once (stdin, an HTTP body) into chunks, each held in a <see cref="ChunkSpool"/>.</summary>
internal interface IStreamChunker : IAsyncDisposable
{
    /// <summary>True once the stream is known to have ended with the last chunk returned.</summary>
    bool Ended { get; }

    /// <summary>The next chunk; an empty spool when the stream has ended.</summary>
    Task<ChunkSpool> NextAsync(CancellationToken cancellationToken);
}
