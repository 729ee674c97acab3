using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

/// <summary>What the index holds at a path: its manifest (a file or a directory object), or only whether something is there (a directory implied by entries below it).</summary>
/// <param name="Manifest">The current manifest at the path, or null.</param>
/// <param name="Exists">True when something is at the path: a manifest, or a directory implied by entries below it.</param>
public readonly record struct IndexLookup(Manifest? Manifest, bool Exists);
