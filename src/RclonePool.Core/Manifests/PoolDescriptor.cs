namespace RclonePool.Core.Manifests;

/// <summary>
/// Written at the root of every pool remote (<c>rclonepool.json</c>). Names the pool a remote belongs to, so
/// a remote of another pool (or a foreign directory) is refused instead of written to.
/// </summary>
public sealed record PoolDescriptor
{
    public const string FormatName = "rclonepool-pool";
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required string PoolId { get; init; }

    /// <summary>The remote's name in the pool config when the descriptor was written.</summary>
    public required string Remote { get; init; }

    public DateTimeOffset Created { get; init; }
}
