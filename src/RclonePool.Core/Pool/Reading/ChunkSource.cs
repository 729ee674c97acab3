using System.Security.Cryptography;
using System.Text;
using RclonePool.Core.Caching;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Reading;

/// <summary>One chunk of a pinned manifest revision, read from its stored locations and checked against its block digests.</summary>
internal sealed class ChunkSource : IChunkSource
{
    private readonly Manifest _manifest;
    private readonly ChunkEntry _chunk;
    private readonly IRemoteStore _store;
    private readonly Func<ChunkLocation, PoolRemote> _resolve;
    private readonly ReadDamageHandler? _onDamage;
    private readonly HashSet<ChunkLocation> _reported = [];
    private readonly LocalFileRemotes? _localFiles;
    private bool _readsLocalFile;
    private byte[]? _digests;
    private byte[]? _inline;

    public ChunkSource(Manifest manifest, int index, IRemoteStore store, Func<ChunkLocation, PoolRemote> resolve, TransferMeter? meter = null, ReadDamageHandler? onDamage = null, LocalFileRemotes? localFiles = null)
    {
        Meter = meter;
        _localFiles = localFiles;
        _onDamage = onDamage;
        _manifest = manifest;
        _chunk = manifest.Chunks[index];
        _store = store;
        _resolve = resolve;
        Index = index;
        Id = IdOf(manifest, _chunk);
    }

    public int Index { get; }

    /// <summary>Where remote reads of this chunk report how fast the remote delivers (the reader's meter).</summary>
    public TransferMeter? Meter { get; }

    public string Id { get; }

    public long Offset => _chunk.Offset;

    public long Length => _chunk.Length;

    public int BlockSize => _manifest.BlockSize;

    public int BlockCount => (int)((Length + BlockSize - 1) / BlockSize);

    public int BlockLength(int block) => (int)Math.Min(BlockSize, Length - ((long)block * BlockSize));

    /// <summary>The chunk's SHA-256 (hex), checked when one run reads the whole chunk.</summary>
    public string Sha256 => _chunk.Sha256;

    public bool Verify(int block, ReadOnlySpan<byte> bytes) => BlockDigest.Matches(bytes, Digests, block);

    private byte[] Digests => _digests ??= Convert.FromBase64String(_chunk.BlockHashes);

    public Manifest Manifest => _manifest;

    /// <summary>
    /// True when the chunk is stored as whole copies and its first copy's remote is read from local files (learned from
    /// an earlier read, see <see cref="LocalFileRemotes"/>): a long read of it then skips the chunk cache.
    /// </summary>
    public bool ReadsLocalFile
    {
        get
        {
            if (_readsLocalFile || _localFiles is null || _chunk.Inline is not null || _chunk.Locations.Count == 0)
            {
                return _readsLocalFile;
            }

            foreach (var location in _chunk.Locations)
            {
                if (location.Role == LocationRole.Shard)
                {
                    return false;
                }
            }

            return _readsLocalFile = _localFiles.Contains(_chunk.Locations[0].Remote);
        }
    }

    public ChunkEntry Entry => _chunk;

    public IRemoteStore Store => _store;

    /// <summary>
    /// Opens a run over the chunk's blocks: from a parity stripe (rebuilding rows when shards are missing or damaged),
    /// or from one copy, failing over to the next copy when one is missing, unreachable or damaged.
    /// </summary>
    public async Task<IBlockRun> OpenAsync(BlockRange blocks, CancellationToken cancellationToken)
    {
        if (_chunk.Inline is { } inline)
        {
            return new InlineBlockRun(this, _inline ??= Convert.FromBase64String(inline), blocks);
        }

        if (_chunk.Locations.Any(l => l.Role == LocationRole.Shard))
        {
            return new StripedBlockRun(this, blocks);
        }

        var copies = _chunk.Locations.Where(l => l.Role != LocationRole.Shard).ToList();
        var run = new FailoverBlockRun(this, copies, blocks);
        await run.OpenFirstAsync(cancellationToken);
        return run;
    }

    /// <summary>Opens a ranged read of <paramref name="blocks"/> from one copy of the chunk.</summary>
    internal async Task<RemoteBlockRun> OpenCopyAsync(ChunkLocation location, BlockRange blocks, CancellationToken cancellationToken)
    {
        var from = (long)blocks.From * BlockSize;
        var length = Math.Min(Length, (long)blocks.To * BlockSize) - from;
        try
        {
            var stream = await _store.OpenReadAsync(new RemotePath(Resolve(location).Storage, location.Object), from, length, cancellationToken);
            if (stream is FileRangeStream)
            {
                _localFiles?.Note(location.Remote);
            }

            return new RemoteBlockRun(this, location, stream, blocks, from + length);
        }
        catch (PoolException e) when (e.Kind == PoolErrorKind.NotFound)
        {
            throw Corrupt(location, "the stored object is missing");
        }
        catch (PoolException e) when (e.IsTransient)
        {
            // Says which file and chunk could not be read, beside why the remote could not be asked.
            throw Broken(location, e);
        }
    }

    internal PoolRemote Resolve(ChunkLocation location) => _resolve(location);

    /// <summary>
    /// Says why a read of <paramref name="location"/> delivered fewer bytes than asked. Only the object's size tells:
    /// a remote that dies mid-read (rclone hands over the body it had, cut short, as if it were complete) still holds
    /// the whole object, or cannot be asked, and that is a failed transfer to try again, not damage; an object shorter
    /// than <paramref name="objectEnd"/> is truncated, and a missing one is missing.
    /// </summary>
    internal async Task<PoolException> CutShortAsync(ChunkLocation location, long objectEnd, string detail, CancellationToken cancellationToken)
    {
        RemoteEntry? stored;
        try
        {
            stored = await _store.StatAsync(new RemotePath(Resolve(location).Storage, location.Object), cancellationToken);
        }
        catch (PoolException e) when (e.IsTransient || e.Kind == PoolErrorKind.Remote)
        {
            return Broken(location, new IOException($"the read ended early ({detail}) and the remote cannot be asked why: {e.Message}", e));
        }

        return stored switch
        {
            null => Corrupt(location, "the stored object is missing"),
            { Size: var size } when size < objectEnd => Corrupt(location, $"the stored object ends early: {detail}; it holds {size} bytes"),
            _ => Broken(location, new IOException($"the remote cut the read short ({detail}) though it holds the whole object")),
        };
    }

    /// <summary>True for failures a read recovers from with another copy or shard (not cancellation, not bad input).</summary>
    internal static bool IsRecoverable(PoolException e) =>
        e.Kind is PoolErrorKind.NotFound or PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.Integrity or PoolErrorKind.Environment;

    /// <summary>Tells the pool (once per stored object) that a read found it missing or damaged and went around it.</summary>
    internal void ReportDamage(ChunkLocation? location, PoolException e)
    {
        if (location is null)
        {
            return;
        }

        lock (_reported)
        {
            if (!_reported.Add(location))
            {
                return;
            }
        }

        _onDamage?.Invoke(_manifest, _chunk, location, e);
    }

    public PoolException Corrupt(ChunkLocation location, string detail) => PoolErrors.ChunkCorrupt(_manifest.Path, Index, location.Remote, detail);

    public PoolException Broken(ChunkLocation location, Exception e) =>
        new(PoolErrorKind.Transient, $"Reading chunk {Index} of {_manifest.Path} from {location.Remote} failed ({e.Message}); try again.", e);

    /// <summary>
    /// The cache key: the name of the chunk's first stored object (a random id, fresh for every write and never
    /// reused). A chunk without locations gets a key of its own manifest revision.
    /// </summary>
    private static string IdOf(Manifest manifest, ChunkEntry chunk)
    {
        var location = chunk.Locations.FirstOrDefault(l => l.Role != LocationRole.Shard) ?? (chunk.Locations.Count > 0 ? chunk.Locations[0] : null);
        if (location is null)
        {
            return $"{manifest.FileId}-r{manifest.Revision}-c{chunk.Index}";
        }

        var name = location.Object[(location.Object.LastIndexOf('/') + 1)..];
        return name.Length >= 16 ? name : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location.Remote + "\n" + location.Object)));
    }
}
