using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Index;

/// <summary>What every index refuses before it changes anything: a manifest whose id or path would break its path arithmetic.</summary>
internal static class IndexableManifest
{
    public static void Validate(Manifest manifest)
    {
        if (!ManifestNames.IsId(manifest.FileId))
        {
            throw NotIndexable(manifest, "the file id is not 32 lowercase hex characters");
        }

        if (!PoolPath.TryParse(manifest.Path, out var path, out _) || path.IsRoot || path.Value != manifest.Path)
        {
            throw NotIndexable(manifest, "the path is not a normalised pool path below the root");
        }
    }

    private static PoolException NotIndexable(Manifest manifest, string problem) => new(
        PoolErrorKind.BadInput,
        $"The manifest of file '{manifest.FileId}' at '{manifest.Path}' cannot be indexed: {problem}; the index was not changed.");
}
