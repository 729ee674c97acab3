namespace RclonePool.Core.Index;

/// <summary>
/// An optional ability of an <see cref="IPoolIndex"/>: which remotes hold a content-addressed chunk object
/// (<c>enable_deduplication</c>) according to the manifests it has indexed. The answer can be stale either way (another
/// process wrote or swept since), so it only tells a deduplicating upload where to look first; the upload still claims
/// the object and checks it on the remote before relying on it (docs/efficiency.md).
/// </summary>
public interface IContentObjectLookup
{
    /// <summary>The remotes on which an indexed manifest names <paramref name="objectPath"/>; empty when none does.</summary>
    ValueTask<IReadOnlyList<string>> RemotesNamingAsync(string objectPath, CancellationToken cancellationToken);
}
