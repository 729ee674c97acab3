using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>
/// Manifests on the remotes: every revision is written to every remote under its own object name
/// (<c>&lt;fileId&gt;-r&lt;revision&gt;.json</c>), so a half-written manifest never replaces a good one; with
/// <see cref="ManifestPacking.Write"/>, manifests written together go to each remote as one pack (<see cref="ManifestPack"/>).
/// </summary>
public sealed class ManifestStore
{
    // With packing, fewer calls in flight per remote let the manifests of concurrent uploads gather into bigger packs.
    private const int PackingCallsInFlight = 2;

    // From this many remotes on, one call per remote: the remotes together keep plenty of calls in flight, and each
    // pack gathers what arrived while the one before it was written (a directory of small files over 100 remotes wrote
    // a pack per remote for every dozen files with two calls per remote).
    private const int ManyRemotes = 16;


    private readonly IRemoteStore _store;
    private readonly PoolLayout _layout;
    private readonly IReadOnlyList<PoolRemote> _remotes;
    private readonly ILogger _logger;
    private readonly ManifestPacking _packing;
    private readonly GroupWriter _writer;
    private readonly Lock _gate = new();
    private Task? _formatRaised;
    private volatile bool _poolHasPacks;
    private int _coming;
    private volatile RemoteDirectories? _directories;

    public ManifestStore(IRemoteStore store, PoolLayout layout, IReadOnlyList<PoolRemote> remotes, ILogger logger, ManifestPacking? packing = null)
    {
        _store = store;
        _layout = layout;
        _remotes = remotes;
        _logger = logger;
        _packing = packing ?? ManifestPacking.Off;
        _poolHasPacks = _packing.PoolFormatVersion >= PoolDescriptor.PackedFormatVersion;

        // Manifests of concurrent uploads share calls: one multipart upload per remote carries every manifest queued
        // while the previous one was in flight (with packing, as one pack object).
        _writer = _packing.Write ? new GroupWriter(store, maxInFlight: remotes.Count >= ManyRemotes ? 1 : PackingCallsInFlight, pack: Pack, linger: ManifestPacking.DefaultLinger, lingerIn: LingerInAsync, coming: () => Volatile.Read(ref _coming)) : new GroupWriter(store);
    }

    private async Task<TimeSpan> LingerInAsync(RemotePath directory) =>
        await _store.LocalDirectoryAsync(directory.Remote, CancellationToken.None) is null ? ManifestPacking.DefaultLinger : _packing.LocalLinger;

    /// <summary>
    /// Announces a manifest write that will follow soon (a small upload, whose data is stored within milliseconds): pass
    /// it to <see cref="WriteAsync"/>, and dispose it when the upload ends either way. With packing, the manifests waiting
    /// to be written linger only while announced writes are still coming (<see cref="GroupWriter"/>).
    /// </summary>
    public ManifestWriteAnnouncement Announce()
    {
        Interlocked.Increment(ref _coming);
        return new ManifestWriteAnnouncement(() => Interlocked.Decrement(ref _coming));
    }

    /// <summary>True once some manifest of the pool may be in a pack: deletes then leave a tombstone.</summary>
    public bool PoolHasPacks => _poolHasPacks;

    /// <summary>True when this process writes packs (<c>manifest_packing</c>): compaction then folds single manifests into them.</summary>
    public bool WritesPacks => _packing.Write;

    /// <summary>
    /// Manifest objects (packs and single manifests) this store has written per remote since it opened, roughly: what
    /// automatic compaction counts (<see cref="CompactionGate"/>).
    /// </summary>
    public long ObjectsWrittenPerRemote => _remotes.Count == 0 ? 0 : _writer.ObjectsWritten / _remotes.Count;

    /// <summary>Held by a compaction of this pool's manifests, so that one process never runs two at once.</summary>
    internal SemaphoreSlim CompactionGate { get; } = new(1, 1);

    /// <summary>
    /// Called before anything other than this store writes a pack (compaction): raises the pool format once, as the first
    /// packed write does, and from then on every delete leaves a tombstone.
    /// </summary>
    public async Task PrepareForPacksAsync(CancellationToken cancellationToken)
    {
        await RaiseFormatOnceAsync(cancellationToken);
        _poolHasPacks = true;
    }

    /// <summary>
    /// Every remote a write to "every remote" goes to, held until disposed: a remote joining the open pool meanwhile waits
    /// for the write before it is given what it lacks (<see cref="PoolRemoteSet"/>).
    /// </summary>
    private RemotesInUse UseRemotes() => _remotes is PoolRemoteSet set ? new RemotesInUse(set.Use()) : new RemotesInUse(_remotes);

    private readonly struct RemotesInUse : IDisposable
    {
        private readonly PoolRemoteSet.Lease? _lease;

        public RemotesInUse(PoolRemoteSet.Lease lease) => (_lease, Remotes) = (lease, lease.Remotes);

        public RemotesInUse(IReadOnlyList<PoolRemote> remotes) => Remotes = remotes;

        public IReadOnlyList<PoolRemote> Remotes { get; }

        public void Dispose() => _lease?.Dispose();
    }

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
    /// <paramref name="announced"/> (from <see cref="Announce"/>) is withdrawn as the write is handed over.
    /// </remarks>
    public async Task<byte[]> WriteAsync(Manifest manifest, CancellationToken cancellationToken, ManifestWriteAnnouncement? announced = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_packing.Write)
        {
            await RaiseFormatOnceAsync(cancellationToken);
        }

        var bytes = ManifestSerializer.Serialize(manifest);

        // Withdrawn before the copies are queued: a call gathering them stops lingering once no other announced write is coming.
        announced?.Dispose();

        // Every remote, a remote joining meanwhile included: it waits for this write before it is given what it lacks. The
        // copies go out together: one queue for the set of remotes, a pack built once for all of them, one wait.
        using var lease = UseRemotes();
        var outcome = await _writer.WriteToEachAsync(ManifestDirectories(lease.Remotes), manifest.ObjectName, bytes, CancellationToken.None, announced: announced is not null);
        if (outcome.AllWritten)
        {
            return bytes;
        }

        var results = new (PoolRemote Remote, Exception? Error, bool Packed)[lease.Remotes.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var error = outcome.ErrorAt(i);
            if (error is not null && !IsRemoteFailure(error))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            results[i] = (lease.Remotes[i], error, error is null && outcome.Packed);
        }

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
                _logger.LogWarning("The manifest of {Path} could not be written to {Remote} ({Error}); run 'rclonepool repair' or 'rclonepool index rebuild' when it is back.", manifest.Path, f.Remote.Name, f.Error!.Message);
            }

            return bytes;
        }

        // A copy inside a pack cannot be removed alone: the revision stays in doubt and the caller keeps what it names.
        var removed = await DeleteRevisionAsync(manifest.FileId, manifest.Revision, CancellationToken.None) && !results.Any(r => r.Packed);
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
        using var lease = UseRemotes();
        var removed = await Task.WhenAll(lease.Remotes.Select(async remote =>
        {
            try
            {
                await _store.DeleteAsync(_layout.Manifest(remote, name), cancellationToken);
                return true;
            }
            catch (PoolException e)
            {
                _logger.LogWarning("Could not remove manifest {Name} from {Remote} ({Error}); 'rclonepool orphans' finds what it leaves.", name, remote.Name, e.Message);
                return false;
            }
        }));
        return removed.All(r => r);
    }

    /// <summary>
    /// Removes an entry's current revision for good (a delete). In a pool that may hold packs, a tombstone goes to every
    /// remote first (in a pack), since copies inside packs cannot be removed and would otherwise come back with the next
    /// 'index rebuild'; then the single copies are removed. Returns false when a tombstone or a copy may be missing
    /// somewhere: the caller then keeps the chunks the revision names.
    /// </summary>
    public async Task<bool> DeleteEntryAsync(string fileId, long revision, CancellationToken cancellationToken)
    {
        var tombstoned = true;
        if (_poolHasPacks || _packing.Write)
        {
            // The tombstone goes in a compressed pack, which only a pool of format 3 may hold.
            await RaiseFormatOnceAsync(cancellationToken);
            var tombstone = ManifestPack.SerializeTombstone(fileId, revision, _packing.Time.GetUtcNow());
            var name = ManifestNames.ObjectName(fileId, revision);
            using var lease = UseRemotes();
            var written = new bool[lease.Remotes.Count];
            if (_packing.Write)
            {
                var outcome = await _writer.WriteToEachAsync(ManifestDirectories(lease.Remotes), name, tombstone, CancellationToken.None, mustPack: true);
                for (var i = 0; i < written.Length; i++)
                {
                    written[i] = TombstoneWritten(lease.Remotes[i], fileId, outcome.ErrorAt(i));
                }
            }
            else
            {
                var pack = Pack([new NamedBytes(name, tombstone)]);
                written = await Task.WhenAll(lease.Remotes.Select(async remote =>
                {
                    try
                    {
                        await _store.WriteBytesAsync(_layout.Manifest(remote, pack.Name), pack.Bytes, CancellationToken.None);
                        return true;
                    }
                    catch (Exception e) when (IsRemoteFailure(e))
                    {
                        return TombstoneWritten(remote, fileId, e);
                    }
                }));
            }

            tombstoned = written.All(w => w);
        }

        return await DeleteRevisionAsync(fileId, revision, cancellationToken) && tombstoned;
    }

    /// <summary>True when <paramref name="error"/> is null; else logs that the tombstone did not reach <paramref name="remote"/> (rethrowing an error that is not a remote's failure).</summary>
    private bool TombstoneWritten(PoolRemote remote, string fileId, Exception? error)
    {
        if (error is null)
        {
            return true;
        }

        if (!IsRemoteFailure(error))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        _logger.LogWarning("The tombstone of file {FileId} could not be written to {Remote} ({Error}); its chunks are kept, delete it again when every remote answers.", fileId, remote.Name, error.Message);
        return false;
    }

    /// <summary>A remote's failure to take a copy (reported per remote), as opposed to a fault of this process (rethrown).</summary>
    private static bool IsRemoteFailure(Exception e) => e is PoolException or HttpRequestException or IOException or OperationCanceledException;

    /// <summary>The manifest directory of each of <paramref name="remotes"/>, in order; kept while the set of remotes stays the same.</summary>
    private RemotePath[] ManifestDirectories(IReadOnlyList<PoolRemote> remotes)
    {
        var known = _directories;
        if (known is not null && ReferenceEquals(known.Remotes, remotes))
        {
            return known.Directories;
        }

        var directories = remotes.Select(_layout.ManifestDirectory).ToArray();
        _directories = new RemoteDirectories(remotes, directories);
        return directories;
    }

    private sealed record RemoteDirectories(IReadOnlyList<PoolRemote> Remotes, RemotePath[] Directories);

    private NamedBytes Pack(IReadOnlyList<NamedBytes> records)
    {
        _poolHasPacks = true;
        var bytes = ManifestPack.Serialize(_packing.PoolId, [.. records.Select(r => r.Bytes)], _packing.Time.GetUtcNow());
        return new NamedBytes(ManifestNames.PackName(ManifestNames.NewId()), bytes);
    }

    /// <summary>Raises the pool format (to 3, compressed packs) before the first pack, so an older rclonepool refuses the pool instead of missing packed files.</summary>
    private Task RaiseFormatOnceAsync(CancellationToken cancellationToken)
    {
        if (_packing.PoolFormatVersion >= PoolDescriptor.CompressedPacksFormatVersion)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            return _formatRaised ??= RaiseFormatAsync(cancellationToken);
        }
    }

    private async Task RaiseFormatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var missed = await new PoolDescriptors(_store, _layout).RaiseFormatAsync(_remotes, PoolDescriptor.CompressedPacksFormatVersion, cancellationToken);
            foreach (var remote in missed)
            {
                _logger.LogWarning("The pool descriptor of {Remote} still names an older pool format; 'manifest_packing' writes compressed packs, which rclonepool before them cannot read. Run 'rclonepool index rebuild' when it answers.", remote);
            }
        }
        catch
        {
            lock (_gate)
            {
                _formatRaised = null;
            }

            throw;
        }
    }
}
