namespace RclonePool.Core.Manifests;

/// <summary>
/// A claim on existing content-addressed objects, <c>&lt;manifest_prefix&gt;/claims/&lt;id&gt;.json</c> on one remote
/// (docs/efficiency.md): an upload writes it before it checks that the objects it reuses exist, and removes it once its
/// manifest names them. <c>rclonepool orphans</c> reads the claims after the manifests and keeps every object a claim
/// younger than the grace period names, so a sweep never removes an object an upload has decided to reuse.
/// </summary>
public sealed record ContentClaim
{
    public const string FormatName = "rclonepool-claim";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    /// <summary>The claimed objects: "remote object" pairs.</summary>
    public IReadOnlyList<SharedObject> Objects { get; init; } = [];

    public DateTimeOffset Written { get; init; }
}
