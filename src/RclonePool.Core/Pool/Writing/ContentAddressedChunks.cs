using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Stores a chunk under content-addressed names (<c>enable_deduplication</c>, docs/efficiency.md): the object of a
/// single chunk or of each copy is named by <see cref="ContentAddresses"/> from the bytes it holds, each shard of a
/// stripe from the chunk's id and its place in the stripe. What already exists is reused: copies found on remotes are
/// claimed (<see cref="ContentClaims"/>), checked again, and only the missing copies are written, each on a remote no
/// other copy uses; a stripe is reused when all its shards are found on distinct remotes, else written whole.
/// </summary>
internal sealed class ContentAddressedChunks(PoolContext pool, ContentAddresses addresses, ContentClaims claims, ChunkWriter writer, StripeWriter stripes)
{
    /// <summary>Stores the stored bytes of one chunk (raw, or a compressed chunk's stored form) as <paramref name="scheme"/> says.</summary>
    public async Task<ChunkEntry> WriteAsync(int index, long offset, long length, Func<Stream> openSource, ChunkScheme scheme, int blockSize, UploadContext upload, CancellationToken cancellationToken)
    {
        var digest = await addresses.DigestAsync(openSource, length, blockSize, cancellationToken);
        return scheme.Kind == ChunkSchemeKind.Striped
            ? await WriteStripeAsync(index, offset, length, openSource, scheme, blockSize, digest, upload, cancellationToken)
            : await WriteCopiesAsync(index, offset, length, openSource, scheme.Kind == ChunkSchemeKind.Replicated ? scheme.Copies : 1, digest, upload, cancellationToken);
    }

    /// <summary>
    /// Reuses the object of <paramref name="prior"/> (a chunk with the same plain bytes this process stored whole,
    /// <see cref="StoredForms"/>) for chunk <paramref name="index"/> without reading or encoding it again: its holders are
    /// claimed and checked like any object found (<see cref="ReuseAsync"/>). Null when fewer than
    /// <paramref name="copies"/> copies are still there: the caller stores the chunk the ordinary way, which writes what is missing.
    /// </summary>
    public async Task<ChunkEntry?> TryReuseAsync(ChunkEntry prior, int index, long offset, int copies, UploadContext upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (!StoredForms.IsReusable(prior))
        {
            return null;
        }

        var objectPath = prior.Locations[0].Object;
        var storedLength = prior.StoredLength ?? prior.Length;
        var holders = await HoldersAsync(objectPath, storedLength, upload, cancellationToken);
        if (holders.Count < copies)
        {
            return null;
        }

        var reused = await ReuseAsync([.. holders.Take(copies).Select(r => new FoundObject(r, objectPath, storedLength, 0))], upload, cancellationToken);
        if (reused.Count < copies)
        {
            return null;
        }

        ReportProgress(upload, prior.Length);
        return prior with
        {
            Index = index,
            Offset = offset,
            Locations = [.. reused.Select((found, copy) => new ChunkLocation
            {
                Remote = found.Remote.Name,
                Object = objectPath,
                Role = copy == 0 ? LocationRole.Data : LocationRole.Replica,
                StoredLength = storedLength,
            })],
        };
    }

    private async Task<ChunkEntry> WriteCopiesAsync(int index, long offset, long length, Func<Stream> openSource, int copies, ContentDigest digest, UploadContext upload, CancellationToken cancellationToken)
    {
        var objectPath = addresses.WholeObject(digest.ContentId);
        var reused = await ReuseAsync([.. (await HoldersAsync(objectPath, length, upload, cancellationToken)).Take(copies).Select(r => new FoundObject(r, objectPath, length, 0))], upload, cancellationToken);
        var taken = new RemoteClaims(reused.Select(r => r.Remote.Name));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var written = await Task.WhenAll(Enumerable.Range(0, copies - reused.Count).Select(async _ =>
        {
            try
            {
                return await writer.StoreCopyAsync(index, length, openSource, hash: false, upload, taken, objectPath, failed.Token);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }));
        ReportProgress(upload, length);
        var remotes = reused.Select(r => r.Remote).Concat(written.Select(w => w.Remote)).ToList();
        return new ChunkEntry
        {
            Index = index,
            Offset = offset,
            Length = length,
            Sha256 = digest.Sha256,
            BlockHashes = digest.BlockHashes,
            Locations = [.. remotes.Select((remote, copy) => new ChunkLocation
            {
                Remote = remote.Name,
                Object = objectPath,
                Role = copy == 0 ? LocationRole.Data : LocationRole.Replica,
                StoredLength = length,
            })],
        };
    }

    private async Task<ChunkEntry> WriteStripeAsync(int index, long offset, long length, Func<Stream> openSource, ChunkScheme scheme, int blockSize, ContentDigest digest, UploadContext upload, CancellationToken cancellationToken)
    {
        var geometry = new StripeGeometry(length, blockSize, scheme.DataShards, scheme.ParityShards);
        string ShardObject(StripeGeometry g, int shard) => addresses.ShardObject(digest.ContentId, g, shard);
        var found = await FindStripeAsync(geometry, ShardObject, upload, cancellationToken);
        if (found is not null && await ReuseAsync(found, upload, cancellationToken) is { } reused && reused.Count == found.Count)
        {
            var codec = SharedCodecs.For(geometry.DataShards, geometry.ParityShards);
            string[] parityDigests;
            using (var hasher = new ChunkHasher(blockSize))
            await using (var source = openSource())
            {
                // Parity digests without writing anything: one encoding pass, no remote call.
                parityDigests = await StripeEncoder.EncodeAsync(source, geometry, codec, new ShardFeed?[geometry.TotalShards], hasher, null, cancellationToken);
            }

            ReportProgress(upload, length);
            return new ChunkEntry
            {
                Index = index,
                Offset = offset,
                Length = length,
                Sha256 = digest.Sha256,
                BlockHashes = digest.BlockHashes,
                Locations = [.. reused.Select(s => new ChunkLocation
                {
                    Remote = s.Remote.Name,
                    Object = s.Object,
                    Role = LocationRole.Shard,
                    Shard = s.Shard,
                    StoredLength = s.Size,
                    BlockHashes = s.Shard >= geometry.DataShards ? parityDigests[s.Shard - geometry.DataShards] : null,
                })],
            };
        }

        return await stripes.WriteAsync(index, offset, length, openSource, scheme, upload, ShardObject, cancellationToken);
    }

    /// <summary>
    /// Every shard of the stripe found on distinct remotes, in shard order (empty shards left out), or null. The first
    /// shard is looked for first: content never stored costs one stat per remote.
    /// </summary>
    private async Task<List<FoundObject>?> FindStripeAsync(StripeGeometry geometry, Func<StripeGeometry, int, string> shardObject, UploadContext upload, CancellationToken cancellationToken)
    {
        var shards = Enumerable.Range(0, geometry.TotalShards).Where(s => geometry.ShardLength(s) > 0).ToList();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<FoundObject>();
        foreach (var shard in shards)
        {
            var objectPath = shardObject(geometry, shard);
            var holder = (await HoldersAsync(objectPath, geometry.ShardLength(shard), upload, cancellationToken)).FirstOrDefault(r => !used.Contains(r.Name));
            if (holder is null)
            {
                return null;
            }

            used.Add(holder.Name);
            found.Add(new FoundObject(holder, objectPath, geometry.ShardLength(shard), shard));
        }

        return found;
    }

    /// <summary>
    /// Claims the objects found, then checks each again: the ones still there may be named by the manifest (a sweep keeps
    /// what a young claim names). Returns those; none when the claim could not be written.
    /// </summary>
    private async Task<List<FoundObject>> ReuseAsync(List<FoundObject> found, UploadContext upload, CancellationToken cancellationToken)
    {
        if (found.Count == 0 || !await claims.ClaimAsync(upload, [.. found.Select(o => (o.Remote, o.Object))], cancellationToken))
        {
            return [];
        }

        var still = await Task.WhenAll(found.Select(o => ExistsAsync(o.Remote, o.Object, o.Size, cancellationToken)));
        return [.. found.Where((_, i) => still[i])];
    }

    /// <summary>
    /// The remotes usable by this upload that hold the object with the expected size. Index first: where the local index
    /// says which remotes hold it, those are the answer without a remote call (<see cref="ReuseAsync"/> claims and checks
    /// each on its remote before anything relies on it, so a stale answer costs a write, never data); where it knows
    /// nothing, one stat per remote.
    /// </summary>
    private async Task<List<PoolRemote>> HoldersAsync(string objectPath, long storedLength, UploadContext upload, CancellationToken cancellationToken)
    {
        var candidates = pool.Remotes.Where(r => !upload.Failures.ContainsKey(r.Name) && !pool.Unclaimed.Names.Contains(r.Name)).ToList();
        if (pool.Index is IContentObjectLookup lookup && await IndexedAsync(lookup, objectPath, cancellationToken) is { Count: > 0 } named
            && candidates.Where(r => named.Contains(r.Name)).ToList() is { Count: > 0 } indexed)
        {
            return indexed;
        }

        var holds = await Task.WhenAll(candidates.Select(r => ExistsAsync(r, objectPath, storedLength, cancellationToken)));
        return [.. candidates.Where((_, i) => holds[i])];
    }

    private async Task<IReadOnlyList<string>> IndexedAsync(IContentObjectLookup lookup, string objectPath, CancellationToken cancellationToken)
    {
        try
        {
            return await lookup.RemotesNamingAsync(objectPath, cancellationToken);
        }
        catch (PoolException e)
        {
            pool.Logger.LogDebug("The index could not say where {Object} is ({Error}); the remotes are asked.", objectPath, e.Message);
            return [];
        }
    }

    private async Task<bool> ExistsAsync(PoolRemote remote, string objectPath, long storedLength, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await pool.Store.StatAsync(new RemotePath(remote.Storage, objectPath), cancellationToken);
            return entry is not null && entry.Size == storedLength;
        }
        catch (PoolException)
        {
            return false; // cannot tell: the object is written again instead
        }
    }

    private static void ReportProgress(UploadContext upload, long length)
    {
        for (var rest = length; rest > 0; rest -= int.MaxValue)
        {
            upload.ReportProgress((int)Math.Min(rest, int.MaxValue));
        }
    }
}
