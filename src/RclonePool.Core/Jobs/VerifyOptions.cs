using RclonePool.Core.Paths;

namespace RclonePool.Core.Jobs;

/// <summary>What <c>verify</c> checks.</summary>
public sealed record VerifyOptions
{
    /// <summary>A file, or a directory checked with everything below it (the root by default).</summary>
    public PoolPath Scope { get; init; } = PoolPath.Root;

    /// <summary>
    /// Existence and size only, from one listing of each remote's data and manifest directories (no chunk is read);
    /// otherwise every chunk is streamed and checked against its SHA-256 and block hashes.
    /// </summary>
    public bool Quick { get; init; }

    /// <summary>Chunks read at once (full verification); the config's <c>max_parallel_workers</c> when null.</summary>
    public int? Workers { get; init; }

    /// <summary>Receives the count of chunk bytes checked so far.</summary>
    public IProgress<long>? Progress { get; init; }
}
