using RclonePool.Core.Integrity;
namespace RclonePool.Core.Jobs;

/// <summary>What <c>verify</c> found.</summary>
public sealed record VerifyReport
{
    public required bool Quick { get; init; }

    public required string Scope { get; init; }

    /// <summary>Files whose manifests were checked.</summary>
    public int Files { get; init; }

    /// <summary>Directory entries (with a manifest of their own) checked.</summary>
    public int Directories { get; init; }

    /// <summary>Chunk objects checked (size, and content unless quick).</summary>
    public int Chunks { get; init; }

    /// <summary>Chunk bytes read and hashed (0 when quick).</summary>
    public long BytesRead { get; init; }

    /// <summary>Remote calls taken (listings, manifest reads, chunk reads).</summary>
    public int RemoteCalls { get; init; }

    public required IReadOnlyList<Damage> Damage { get; init; }

    public bool Clean => Damage.Count == 0;

    /// <summary>Files with at least one problem.</summary>
    public int DamagedFiles => Damage.Where(d => d.Path is not null || d.FileId is not null).Select(d => d.FileId ?? d.Path).Distinct(StringComparer.Ordinal).Count();

    /// <summary>True when every problem is a remote that could not be reached (nothing found damaged).</summary>
    public bool OnlyUnreachable => Damage.Count > 0 && Damage.All(d => d.Kind == DamageKind.Unreachable);
}
