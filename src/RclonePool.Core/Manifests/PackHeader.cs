namespace RclonePool.Core.Manifests;

/// <summary>The first line of a <see cref="ManifestPack"/>: what it is, which pool, and how many records follow.</summary>
public sealed record PackHeader
{
    public const string FormatName = "rclonepool-pack";
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required string PoolId { get; init; }

    /// <summary>Records after the header: a pack with fewer lines was cut short and is refused whole.</summary>
    public required int Records { get; init; }

    public DateTimeOffset Written { get; init; }
}
