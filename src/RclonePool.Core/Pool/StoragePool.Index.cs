using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Pool;

public sealed partial class StoragePool
{
    /// <summary>
    /// Recreates the index from the manifests on the remotes (newest valid revision of each entry wins) and
    /// returns what disagreed between remotes.
    /// </summary>
    public async Task<ManifestScan> RebuildIndexAsync(CancellationToken cancellationToken)
    {
        var scan = await Manifests.ScanAsync(cancellationToken);
        await _index.ReplaceAllAsync(scan.Manifests, cancellationToken);
        foreach (var problem in scan.Problems)
        {
            _logger.LogWarning("Index rebuild: {Problem}", problem);
        }

        _logger.LogInformation("Index rebuilt from the remotes: {Count} entries.", scan.Manifests.Count);
        return scan;
    }
}
