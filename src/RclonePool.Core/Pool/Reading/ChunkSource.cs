using System.Security.Cryptography;
using System.Text;
using RclonePool.Core.Caching;
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
    private byte[]? _digests;

    public ChunkSource(Manifest manifest, int index, IRemoteStore store, Func<ChunkLocation, PoolRemote> resolve, TransferMeter? meter = null)
    {
        Meter = meter;
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

    public async Task<IBlockRun> OpenAsync(BlockRange blocks, CancellationToken cancellationToken)
    {
        var from = (long)blocks.From * BlockSize;
        var length = Math.Min(Length, (long)blocks.To * BlockSize) - from;
        PoolException? last = null;
        foreach (var location in _chunk.Locations.Where(l => l.Role != LocationRole.Shard))
        {
            try
            {
                var remote = _resolve(location);
                var stream = await _store.OpenReadAsync(new RemotePath(remote.Storage, location.Object), from, length, cancellationToken);
                return new RemoteBlockRun(this, location, stream, blocks);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.NotFound or PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                last = e.Kind == PoolErrorKind.NotFound ? Corrupt(location, "the stored object is missing") : e;
            }
        }

        throw last ?? new PoolException(PoolErrorKind.Integrity, $"Chunk {Index} of {_manifest.Path} has no readable location.");
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
