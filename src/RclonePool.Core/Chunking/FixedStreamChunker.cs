using System.Security.Cryptography;

namespace RclonePool.Core.Chunking;

/// <summary>Cuts a stream into chunks of <c>chunk_size</c> bytes (the last shorter), feeding the whole-file hash.</summary>
internal sealed class FixedStreamChunker(Stream source, long chunkSize, string tempDir, IncrementalHash fileHash, long expectedLength) : IStreamChunker
{
    public bool Ended { get; private set; }

    public async Task<ChunkSpool> NextAsync(CancellationToken cancellationToken)
    {
        var spool = await ChunkSpool.FillAsync(source, chunkSize, tempDir, fileHash, cancellationToken, expectedLength);
        Ended = spool.Length < chunkSize;
        return spool;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
