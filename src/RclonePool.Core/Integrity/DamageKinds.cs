namespace RclonePool.Core.Integrity;

/// <summary>Printed names of <see cref="DamageKind"/>.</summary>
public static class DamageKinds
{
    public static string Name(this DamageKind kind) => kind switch
    {
        DamageKind.Missing => "missing",
        DamageKind.Truncated => "truncated",
        DamageKind.Corrupt => "corrupt",
        DamageKind.ManifestDisagreement => "manifest-disagreement",
        DamageKind.ManifestDamaged => "manifest-damaged",
        DamageKind.Unreachable => "unreachable",
        DamageKind.IndexStale => "index-stale",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>True for damage to stored chunk data (what repair with a local copy fixes).</summary>
    public static bool IsChunkDamage(this DamageKind kind) => kind is DamageKind.Missing or DamageKind.Truncated or DamageKind.Corrupt;
}
