using RclonePool.Core.Caching;
using RclonePool.Core.Errors;
using RclonePool.Core.IO;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A run over a chunk stored as whole copies: reads from the first copy that opens, and when a copy turns out
/// missing, unreachable or damaged mid-way, goes on from the same block with the next copy. Fails only when no copy
/// is left, with the last copy's error.
/// </summary>
internal sealed class FailoverBlockRun(ChunkSource chunk, IReadOnlyList<ChunkLocation> copies, BlockRange blocks) : IBlockRun
{
    private RemoteBlockRun? _run;
    private int _copy;
    private PoolException? _last;

    public int NextBlock { get; private set; } = blocks.From;

    public FileRegion? LastRegion => _run?.LastRegion;

    /// <summary>Opens the first copy that answers; throws when none does.</summary>
    public async Task OpenFirstAsync(CancellationToken cancellationToken)
    {
        while (_run is null)
        {
            await OpenNextAsync(cancellationToken);
        }
    }

    public async ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_run is null)
            {
                await OpenNextAsync(cancellationToken);
                continue;
            }

            try
            {
                var length = await _run.ReadNextAsync(buffer, cancellationToken);
                NextBlock++;
                return length;
            }
            catch (PoolException e) when (ChunkSource.IsRecoverable(e) && _copy < copies.Count)
            {
                Failed(copies[_copy - 1], e);
                await _run.DisposeAsync();
                _run = null;
            }
        }
    }

    private async Task OpenNextAsync(CancellationToken cancellationToken)
    {
        if (_copy >= copies.Count)
        {
            throw _last ?? new PoolException(PoolErrorKind.Integrity, $"Chunk {chunk.Index} of {chunk.Manifest.Path} has no stored copy; the file cannot be read.");
        }

        var location = copies[_copy++];
        try
        {
            _run = await chunk.OpenCopyAsync(location, new BlockRange(NextBlock, blocks.To), cancellationToken);
        }
        catch (PoolException e) when (ChunkSource.IsRecoverable(e))
        {
            if (_copy >= copies.Count)
            {
                throw;
            }

            Failed(location, e);
        }
    }

    private void Failed(ChunkLocation location, PoolException e)
    {
        _last = e;
        chunk.ReportDamage(location, e);
    }

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
            _run = null;
        }
    }
}
