using System.Text;

namespace RclonePool.Core.Manifests;

/// <summary>
/// Written at the root of every pool remote (<c>rclonepool.json</c>). Names the pool a remote belongs to, so
/// a remote of another pool (or a foreign directory) is refused instead of written to.
/// </summary>
public sealed record PoolDescriptor
{
    public const string FormatName = "rclonepool-pool";
    /// <summary>The newest pool format this rclonepool reads: 3, a pool whose manifests may be in compressed packs.</summary>
    public const int CurrentFormatVersion = CompressedPacksFormatVersion;

    /// <summary>A pool of single manifest objects only: what 'init' writes, which every rclonepool reads.</summary>
    public const int PlainFormatVersion = 1;

    /// <summary>
    /// A pool some of whose manifests are in packs (<see cref="ManifestPack"/>): raised before the first pack is written,
    /// so an older rclonepool, which would not see packed files (and whose 'orphans' would remove their chunks), refuses
    /// the pool instead.
    /// </summary>
    public const int PackedFormatVersion = 2;

    /// <summary>
    /// A pool some of whose packs are compressed (<c>pack-&lt;id&gt;.jsonl.zst</c>, one zstd frame of the JSON lines):
    /// raised before the first one is written, so an rclonepool that reads only plain packs, which would not see those
    /// files (its 'orphans' would remove their chunks, its rebuild would bring deleted files back), refuses the pool instead.
    /// </summary>
    public const int CompressedPacksFormatVersion = 3;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = PlainFormatVersion;

    public required string PoolId { get; init; }

    /// <summary>The remote's name in the pool config when the descriptor was written.</summary>
    public required string Remote { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>
    /// The pool's deduplication secret (32 random bytes, base64): the key of the HMAC-SHA256 that names content-addressed
    /// chunk objects (<c>enable_deduplication</c>, docs/efficiency.md). Written on first use to every remote's descriptor;
    /// null in pools that never deduplicated. Never printed: <see cref="ToString"/> leaves it out.
    /// </summary>
    public string? DedupSecret { get; init; }

    // Records print every property; the secret must not reach a log or an error message.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Format = {Format}, FormatVersion = {FormatVersion}, PoolId = {PoolId}, Remote = {Remote}, Created = {Created:O}");
        return true;
    }
}
