using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool;

/// <summary>The result of reading every manifest from the remotes: the winning revisions and what disagreed.</summary>
public sealed record ManifestScan(IReadOnlyList<Manifest> Manifests, IReadOnlyList<string> Problems);
