using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// A remote joining the pool (<c>remote add</c>): the pool is opened with the remote in its config; <see cref="JoinAsync"/>
/// checks that it answers and belongs to no other pool, writes the current manifest of every entry to it (every manifest
/// lives on every remote), and writes the pool descriptor last, so a remote that carries the descriptor has every
/// manifest. Running it again finishes an interrupted join. Data reaches the remote with new uploads and 'rebalance'.
/// </summary>
public sealed class RemoteMembership(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>Returns the number of manifests written to the remote.</summary>
    public async Task<int> JoinAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var remote = _pool.Remotes.FirstOrDefault(r => r.Name == name)
            ?? throw new PoolException(PoolErrorKind.BadInput, $"{name} is not in the config's remotes ({string.Join(", ", _pool.Remotes.Select(r => r.Name))}); nothing was changed.");
        var descriptors = new PoolDescriptors(_pool.Store, _pool.Layout);
        PoolDescriptor? found;
        try
        {
            found = await descriptors.ReadAsync(remote, cancellationToken);
        }
        catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.Environment)
        {
            throw new PoolException(e.Kind, $"{name} does not answer ({e.Message}); nothing was changed. Check it with 'rclone about {remote.Storage}' and try again.", e);
        }

        if (found is not null && found.PoolId != _pool.PoolId)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{name} belongs to pool {found.PoolId}, not {_pool.PoolId}; nothing was changed. Give a remote of this pool or an empty one.");
        }

        var survey = await _pool.SurveyAsync(new SurveyOptions(), cancellationToken);
        var missing = survey.Entries
            .Where(e => e.Current is not null && !e.CopiesOf(e.Current.Revision).Any(c => c.Remote.Name == name))
            .Select(e => (e.Current!, Bytes: e.CurrentBytes ?? ManifestSerializer.Serialize(e.Current!)))
            .ToList();
        if (_pool.Manifests.WritesPacks && missing.Count > 1)
        {
            // With packing, the remote gets every manifest it lacks in one pack: one object, not one per file.
            await _pool.Manifests.PrepareForPacksAsync(cancellationToken);
            var pack = ManifestPack.Serialize(_pool.PoolId, [.. missing.Select(m => (ReadOnlyMemory<byte>)m.Bytes)], _pool.Time.GetUtcNow());
            await _pool.Store.WriteBytesAsync(_pool.Layout.Manifest(remote, ManifestNames.PackName(ManifestNames.NewId())), pack, cancellationToken);
        }
        else
        {
            foreach (var (manifest, bytes) in missing)
            {
                await _pool.Store.WriteBytesAsync(_pool.Layout.Manifest(remote, manifest.ObjectName), bytes, cancellationToken);
            }
        }

        var written = missing.Count;

        if (found is null)
        {
            var descriptor = new PoolDescriptor { PoolId = _pool.PoolId, Remote = name, Created = _pool.Time.GetUtcNow() };
            await _pool.Store.WriteBytesAsync(_pool.Layout.Descriptor(remote), ManifestSerializer.Serialize(descriptor), cancellationToken);
        }

        _pool.Unclaimed.StillUnclaimed([.. _pool.Unclaimed.Names.Where(n => n != name)]);
        _pool.Logger.LogInformation("{Remote} joined pool {Pool}: {Count} manifests written to it.", name, _pool.PoolId, written);
        return written;
    }
}
