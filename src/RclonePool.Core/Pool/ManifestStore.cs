using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>
/// Manifests on the remotes: every revision is written to every remote under its own object name
/// (<c>&lt;fileId&gt;-r&lt;revision&gt;.json</c>), so a half-written manifest never replaces a good one.
/// </summary>
public sealed class ManifestStore(IRemoteStore store, PoolLayout layout, IReadOnlyList<PoolRemote> remotes, ILogger logger)
{
    private const int ReadParallelism = 16;

    // Manifests of concurrent uploads share calls: one multipart upload per remote carries every manifest queued
    // while the previous one was in flight.
    private readonly GroupWriter _writer = new(store);

    /// <summary>
    /// Writes a manifest revision to every remote. Durable when at least one remote holds it; remotes that fail
    /// with a remote-side error are logged (verify reports them, repair and index rebuild restore them). Any other
    /// failure, or failure everywhere, throws after removing the copies that were written; when a copy can be neither
    /// confirmed nor removed, the exception is <see cref="PoolException.InDoubt"/> and the caller keeps the objects the
    /// revision names. Returns the bytes written (<see cref="ManifestSerializer.Serialize"/>), for the index.
    /// </summary>
    /// <remarks>
    /// The write is the commit point of every change to the pool, so <paramref name="cancellationToken"/> is honoured only
    /// before it starts: a write cancelled midway could leave copies on some remotes that name objects the caller then
    /// removes. Once begun it runs to its end, each call bounded by the call time-out and the remote watchdog.
    /// </remarks>
    public async Task<byte[]> WriteAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = ManifestSerializer.Serialize(manifest);

        // Every remote, a remote joining meanwhile included: it waits for this write before it is given what it lacks.
        using var lease = (remotes as PoolRemoteSet)?.Use();
        var results = await Task.WhenAll((lease?.Remotes ?? remotes).Select(async remote =>
        {
            try
            {
                await _writer.WriteAsync(layout.ManifestDirectory(remote), manifest.ObjectName, bytes, CancellationToken.None);
                return (Remote: remote, Error: (Exception?)null);
            }
            catch (Exception e) when (e is PoolException or HttpRequestException or IOException or OperationCanceledException)
            {
                return (Remote: remote, Error: e);
            }
        }));

        var failed = results.Where(r => r.Error is not null).ToList();
        if (failed.Count == 0)
        {
            return bytes;
        }

        var tolerable = failed.All(f => f.Error is PoolException { Kind: PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.NoSpace });
        if (tolerable && failed.Count < results.Length)
        {
            foreach (var f in failed)
            {
                logger.LogWarning("The manifest of {Path} could not be written to {Remote} ({Error}); run 'rclonepool repair' or 'rclonepool index rebuild' when it is back.", manifest.Path, f.Remote.Name, f.Error!.Message);
            }

            return bytes;
        }

        var removed = await DeleteRevisionAsync(manifest.FileId, manifest.Revision, CancellationToken.None);
        var first = failed[0];
        var kind = first.Error is PoolException pe ? pe.Kind : PoolErrorKind.Transient;
        var message = $"Writing the manifest of {manifest.Path} to {first.Remote.Name} failed: {first.Error!.Message}";
        throw removed
            ? new PoolException(kind, message, first.Error)
            : new PoolException(kind, $"{message} A copy of it may remain where it could not be removed, so the data it names is kept; run 'rclonepool verify' when every remote answers.", first.Error) { InDoubt = true };
    }

    /// <summary>
    /// Removes one revision's copies from every remote; missing copies are fine, failures are logged. Returns false
    /// when a copy may remain (a remote refused or did not answer): the caller must then keep the chunks that
    /// revision names, since the copy left behind still makes them part of a file ('rclonepool orphans' finds it).
    /// </summary>
    public async Task<bool> DeleteRevisionAsync(string fileId, long revision, CancellationToken cancellationToken)
    {
        var name = ManifestNames.ObjectName(fileId, revision);
        var removed = await Task.WhenAll(remotes.Select(async remote =>
        {
            try
            {
                await store.DeleteAsync(layout.Manifest(remote, name), cancellationToken);
                return true;
            }
            catch (PoolException e)
            {
                logger.LogWarning("Could not remove manifest {Name} from {Remote} ({Error}); 'rclonepool orphans' finds what it leaves.", name, remote.Name, e.Message);
                return false;
            }
        }));
        return removed.All(r => r);
    }
}
