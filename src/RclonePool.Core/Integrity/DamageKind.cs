namespace RclonePool.Core.Integrity;

/// <summary>What is wrong, as verify reports it (<see cref="DamageKinds.Name"/> gives the printed name).</summary>
public enum DamageKind
{
    /// <summary>A chunk object a manifest names does not exist on its remote.</summary>
    Missing,

    /// <summary>A chunk object is shorter than the manifest says.</summary>
    Truncated,

    /// <summary>A chunk object's bytes do not match its hashes (or it is longer than stored).</summary>
    Corrupt,

    /// <summary>The remotes' manifest copies disagree: a copy is missing, stale (an older revision) or damaged on some remote.</summary>
    ManifestDisagreement,

    /// <summary>A manifest revision has no readable copy on any remote (garbage, truncated, or from a newer rclonepool).</summary>
    ManifestDamaged,

    /// <summary>A remote could not be listed or read, so what it holds was not checked.</summary>
    Unreachable,

    /// <summary>The local index (what <c>ls</c> shows) disagrees with the manifests on the remotes.</summary>
    IndexStale,
}
