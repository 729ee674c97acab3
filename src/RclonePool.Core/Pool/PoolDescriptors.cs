using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>Reads and writes the pool descriptor (<c>rclonepool.json</c>) at the root of each remote.</summary>
public sealed class PoolDescriptors(IRemoteStore store, PoolLayout layout)
{
    /// <summary>The descriptor on a remote, or null when the remote has none.</summary>
    public async Task<PoolDescriptor?> ReadAsync(PoolRemote remote, CancellationToken cancellationToken)
    {
        var path = layout.Descriptor(remote);
        var bytes = await store.TryReadBytesAsync(path, cancellationToken);
        return bytes is null ? null : ManifestSerializer.DeserializeDescriptor(bytes, $"{remote.Name} ({path})");
    }

    /// <summary>
    /// The pool id the remotes agree on, and the remotes that carry no descriptor (new, or emptied since: the caller
    /// keeps new data off them). Refuses remotes of different pools, saying how to fix it.
    /// </summary>
    /// <remarks>
    /// A remote that does not answer (a transient or permanent remote failure) is passed over when another remote names
    /// the pool, so one remote down does not stop the pool: reads of files elsewhere and uploads to the other remotes go
    /// on. When no remote answers, the first failure is thrown.
    /// </remarks>
    public async Task<PoolIdentity> ReadPoolIdAsync(IReadOnlyList<PoolRemote> remotes, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(remotes.Select(async r =>
        {
            try
            {
                return (Descriptor: await ReadAsync(r, cancellationToken), Error: (PoolException?)null);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                return (Descriptor: (PoolDescriptor?)null, Error: e);
            }
        }));
        if (answers.All(a => a.Error is not null))
        {
            throw answers[0].Error!;
        }

        remotes = [.. remotes.Where((_, i) => answers[i].Error is null)];
        var descriptors = answers.Where(a => a.Error is null).Select(a => a.Descriptor).ToArray();
        var ids = descriptors.Where(d => d is not null).Select(d => d!.PoolId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            throw new PoolException(PoolErrorKind.Environment, $"No pool exists on {string.Join(", ", remotes.Select(r => r.Name))}; run 'rclonepool init' first.");
        }

        if (ids.Count > 1)
        {
            var owners = remotes.Zip(descriptors).Where(p => p.Second is not null).Select(p => $"{p.First.Name} is in pool {p.Second!.PoolId}");
            throw new PoolException(PoolErrorKind.Conflict, $"The configured remotes belong to different pools ({string.Join(", ", owners)}); fix 'remotes' in the config so they name one pool.");
        }

        var missing = remotes.Zip(descriptors).Where(p => p.Second is null).Select(p => p.First.Name).ToList();
        var format = descriptors.Where(d => d is not null).Select(d => d!.FormatVersion).DefaultIfEmpty(PoolDescriptor.PlainFormatVersion).Max();
        return new PoolIdentity(ids[0], missing, format);
    }

    /// <summary>
    /// Makes every remote carry a descriptor of one pool: the existing pool's id when some remote has one,
    /// else a new id. A remote of another pool is refused; nothing is written then.
    /// </summary>
    public async Task<string> EnsureAsync(IReadOnlyList<PoolRemote> remotes, TimeProvider time, CancellationToken cancellationToken)
    {
        var descriptors = await Task.WhenAll(remotes.Select(r => ReadAsync(r, cancellationToken)));
        var ids = descriptors.Where(d => d is not null).Select(d => d!.PoolId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 1)
        {
            var owners = remotes.Zip(descriptors).Where(p => p.Second is not null).Select(p => $"{p.First.Name} belongs to pool {p.Second!.PoolId}");
            throw new PoolException(PoolErrorKind.Conflict, $"The remotes already belong to different pools ({string.Join(", ", owners)}); use remotes of one pool or empty ones.");
        }

        var poolId = ids.Count == 1 ? ids[0] : ManifestNames.NewId();
        for (var i = 0; i < remotes.Count; i++)
        {
            if (descriptors[i] is null)
            {
                var descriptor = new PoolDescriptor { PoolId = poolId, Remote = remotes[i].Name, Created = time.GetUtcNow() };
                await store.WriteBytesAsync(layout.Descriptor(remotes[i]), ManifestSerializer.Serialize(descriptor), cancellationToken);
            }
        }

        return poolId;
    }

    /// <summary>
    /// Raises every answering remote's descriptor to <paramref name="formatVersion"/> (keeping everything else), before
    /// the pool starts holding what an older rclonepool cannot read. Throws when no remote took it; remotes that did not
    /// answer are returned, to be logged (an older rclonepool still refuses the pool through the others).
    /// </summary>
    public async Task<IReadOnlyList<string>> RaiseFormatAsync(IReadOnlyList<PoolRemote> remotes, int formatVersion, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(remotes.Select(async remote =>
        {
            try
            {
                var descriptor = await ReadAsync(remote, cancellationToken);
                if (descriptor is not null && descriptor.FormatVersion < formatVersion)
                {
                    await store.WriteBytesAsync(layout.Descriptor(remote), ManifestSerializer.Serialize(descriptor with { FormatVersion = formatVersion }), cancellationToken);
                }

                return (remote.Name, Error: descriptor is null ? "it has no pool descriptor" : null);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.NoSpace)
            {
                return (remote.Name, Error: (string?)e.Message);
            }
        }));
        if (results.All(r => r.Error is not null))
        {
            throw new PoolException(PoolErrorKind.Transient, $"No remote's pool descriptor could be raised to format {formatVersion} ({string.Join("; ", results.Select(r => $"{r.Name}: {r.Error}"))}); try again when the remotes answer.");
        }

        return [.. results.Where(r => r.Error is not null).Select(r => $"{r.Name} ({r.Error})")];
    }
}
