namespace RclonePool.Core.Jobs;

/// <summary>What one remote holds of what the manifests in scope expect of it.</summary>
public sealed record RemoteHealth
{
    public required string Name { get; init; }

    /// <summary>False when its listing failed: every object on it counts as unavailable.</summary>
    public bool Reachable { get; init; }

    /// <summary>Why it could not be listed; null when reachable.</summary>
    public string? Error { get; init; }

    /// <summary>Stored objects (copies and shards) the manifests in scope place on it.</summary>
    public int ObjectsExpected { get; init; }

    /// <summary>Of those, the objects present with the right size (and content, when read).</summary>
    public int ObjectsPresent { get; init; }

    /// <summary>Of those, the objects present but damaged (wrong size, or content not matching its hashes).</summary>
    public int ObjectsDamaged { get; init; }

    /// <summary>Entries in scope whose current manifest it lacks or holds only in an older or damaged copy.</summary>
    public int ManifestsMissing { get; init; }

    /// <summary>Expected objects neither present nor damaged (all of them when unreachable).</summary>
    public int ObjectsMissing => ObjectsExpected - ObjectsPresent - ObjectsDamaged;
}
