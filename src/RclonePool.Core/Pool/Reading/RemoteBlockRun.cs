using System.Diagnostics;
using System.Security.Cryptography;
using RclonePool.Core.Caching;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A ranged read of consecutive blocks of one chunk from one stored location. Each block is read whole and checked
/// against its digest before any of it is handed out; a run from the chunk's first block to its last also checks
/// the chunk's SHA-256 before handing out the last block.
/// </summary>
internal sealed class RemoteBlockRun : IBlockRun
{
    private readonly ChunkSource _chunk;
    private readonly ChunkLocation _location;
    private readonly Stream _stream;
    private readonly int _to;
    private IncrementalHash? _sha256;

    public RemoteBlockRun(ChunkSource chunk, ChunkLocation location, Stream stream, BlockRange blocks)
    {
        _chunk = chunk;
        _location = location;
        _stream = stream;
        _to = blocks.To;
        NextBlock = blocks.From;
        _sha256 = blocks.From == 0 && blocks.To == chunk.BlockCount ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public int NextBlock { get; private set; }

    public string Remote => _location.Remote;

    public async ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (NextBlock >= _to)
        {
            throw new InvalidOperationException("The run has no more blocks.");
        }

        var block = NextBlock;
        var length = _chunk.BlockLength(block);
        var target = buffer[..length];
        int filled;
        try
        {
            var started = Stopwatch.GetTimestamp();
            filled = await _stream.ReadAtLeastAsync(target, length, throwOnEndOfStream: false, cancellationToken);
            _chunk.Meter?.Add(filled, Stopwatch.GetTimestamp() - started);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw _chunk.Broken(_location, e);
        }

        if (filled != length)
        {
            target.Span.Clear();
            throw _chunk.Corrupt(_location, $"the stored object ends early: {filled} of {length} bytes at block {block}");
        }

        if (!_chunk.Verify(block, target.Span))
        {
            target.Span.Clear();
            throw _chunk.Corrupt(_location, $"block {block} does not match its hash");
        }

        if (_sha256 is not null)
        {
            _sha256.AppendData(target.Span);
            if (block == _to - 1 && !string.Equals(Convert.ToHexStringLower(_sha256.GetHashAndReset()), _chunk.Sha256, StringComparison.Ordinal))
            {
                target.Span.Clear();
                throw _chunk.Corrupt(_location, "its SHA-256 does not match the manifest");
            }
        }

        NextBlock = block + 1;
        return length;
    }

    public async ValueTask DisposeAsync()
    {
        _sha256?.Dispose();
        _sha256 = null;
        await _stream.DisposeAsync();
    }
}
