using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Redundancy.Codec;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Stores a chunk as a parity stripe: every shard on a different remote, all uploaded at once while the chunk is
/// read and encoded row by row. A failed shard retries the stripe (transient errors), then re-places it without
/// the failing remote.
/// </summary>
internal sealed class StripeWriter(PoolContext pool)
{
    /// <summary>Blocks that may wait in each shard's feed: enough to keep its upload writing while the next row is read and encoded.</summary>
    private const int FeedBlocks = 2;

    public Task<ChunkEntry> WriteAsync(int index, long offset, long length, Func<Stream> openSource, ChunkScheme scheme, UploadContext upload, CancellationToken cancellationToken) =>
        WriteAsync(index, offset, length, openSource, scheme, upload, shardObject: null, cancellationToken);

    /// <summary>As above, naming shard s <c>shardObject(geometry, s)</c> (content-addressed) instead of a fresh id when it is set.</summary>
    public async Task<ChunkEntry> WriteAsync(int index, long offset, long length, Func<Stream> openSource, ChunkScheme scheme, UploadContext upload, Func<StripeGeometry, int, string>? shardObject, CancellationToken cancellationToken)
    {
        var geometry = new StripeGeometry(length, pool.Chunking.BlockSize, scheme.DataShards, scheme.ParityShards);
        var codec = SharedCodecs.For(scheme.DataShards, scheme.ParityShards);
        while (true)
        {
            var claims = new RemoteClaims();
            var remotes = new string?[geometry.TotalShards];
            try
            {
                for (var shard = 0; shard < remotes.Length; shard++)
                {
                    if (geometry.ShardLength(shard) > 0)
                    {
                        remotes[shard] = claims.Reserve(upload.Placement, geometry.ShardLength(shard));
                    }
                }
            }
            catch (PoolException e) when (e.Kind == PoolErrorKind.NoSpace)
            {
                ReleaseShards(claims, upload, remotes, geometry);
                throw upload.Failures.IsEmpty
                    ? new PoolException(PoolErrorKind.NoSpace, $"Chunk {index} needs {remotes.Count(r => r is not null) + 1} remotes with room for its {scheme.DataShards}+{scheme.ParityShards} stripe: {e.Message}", e)
                    : upload.NoRemoteTook(index, pool.Remotes.Count, e);
            }

            var failing = new StrongBox<string?>(); // which remote made the attempt fail (set by the attempt)
            try
            {
                return await pool.Retry.ExecuteAsync(async ct => await StoreStripeAsync(index, offset, length, openSource, geometry, codec, remotes, upload, failing, shardObject, ct), cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.NoSpace && failing.Value is { } remote)
            {
                ReleaseShards(claims, upload, remotes, geometry);
                upload.GiveUp(remote, e);
                pool.Logger.LogWarning("Storing a shard of chunk {Index} on {Remote} failed ({Error}); placing the stripe again without it.", index, remote, e.Message);
            }
        }
    }

    private static void ReleaseShards(RemoteClaims claims, UploadContext upload, string?[] remotes, StripeGeometry geometry)
    {
        for (var shard = 0; shard < remotes.Length; shard++)
        {
            if (remotes[shard] is { } remote)
            {
                claims.Give(upload.Placement, remote, geometry.ShardLength(shard));
            }
        }
    }

    /// <summary>
    /// One attempt at a stripe: k + m uploads fed by one encoding pass over the chunk. Each block goes to its shard's
    /// upload as it was read or encoded (<see cref="ShardFeed"/>: handed over, not copied), while the next row is read.
    /// </summary>
    private async Task<ChunkEntry> StoreStripeAsync(int index, long offset, long length, Func<Stream> openSource, StripeGeometry geometry, ReedSolomonCodec codec, string?[] remotes, UploadContext upload, StrongBox<string?> failing, Func<StripeGeometry, int, string>? shardObject, CancellationToken cancellationToken)
    {
        if (remotes.FirstOrDefault(r => r is not null && upload.Failures.ContainsKey(r)) is { } gaveUp)
        {
            // Another chunk of this upload gave up on the remote: do not wait out its retries as well.
            failing.Value = gaveUp;
            throw upload.GaveUpOn(gaveUp)!;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeds = new ShardFeed?[geometry.TotalShards];
        var objects = new string?[geometry.TotalShards];
        var uploads = new List<Task>();
        PoolException? shardFailure = null;
        for (var shard = 0; shard < feeds.Length; shard++)
        {
            if (remotes[shard] is not { } name)
            {
                continue;
            }

            var remote = pool.Remote(name);
            var objectPath = shardObject?.Invoke(geometry, shard) ?? pool.Layout.ChunkObject(ManifestNames.NewId());
            objects[shard] = objectPath;
            upload.Written.TryAdd((remote, objectPath), 0);
            var feed = feeds[shard] = new ShardFeed(FeedBlocks);
            var shardLength = geometry.ShardLength(shard);
            uploads.Add(Task.Run(async () =>
            {
                try
                {
                    await using (feed)
                    {
                        await pool.Store.WriteAsync(new RemotePath(remote.Storage, objectPath), feed, shardLength, stop.Token);
                    }
                }
                catch (Exception e) when (!(e is OperationCanceledException && stop.IsCancellationRequested))
                {
                    var failure = e as PoolException ?? new PoolException(PoolErrorKind.Transient, $"Storing a shard on {remote.Name} failed ({e.Message}).", e);
                    if (Interlocked.CompareExchange(ref shardFailure, failure, null) is null)
                    {
                        failing.Value = remote.Name;
                    }

                    await stop.CancelAsync();
                    throw;
                }
            }, CancellationToken.None));
        }

        string[] parityDigests;
        using var hasher = new ChunkHasher(geometry.BlockSize);
        try
        {
            await using (var source = openSource())
            {
                parityDigests = await StripeEncoder.EncodeAsync(source, geometry, codec, feeds, hasher, upload.ReportProgress, stop.Token);
            }

            foreach (var feed in feeds)
            {
                feed?.Complete();
            }

            await Task.WhenAll(uploads);
        }
        catch (Exception e)
        {
            foreach (var feed in feeds)
            {
                feed?.Complete(e);
            }

            await stop.CancelAsync();
            await Task.WhenAll(uploads.Select(u => u.ContinueWith(_ => { }, TaskScheduler.Default)));
            if (Volatile.Read(ref shardFailure) is { } failure)
            {
                throw failure;
            }

            throw;
        }

        var (sha, blocks) = hasher.Complete();
        var locations = new List<ChunkLocation>(geometry.TotalShards);
        for (var shard = 0; shard < geometry.TotalShards; shard++)
        {
            if (objects[shard] is { } objectPath)
            {
                locations.Add(new ChunkLocation
                {
                    Remote = remotes[shard]!,
                    Object = objectPath,
                    Role = LocationRole.Shard,
                    Shard = shard,
                    StoredLength = geometry.ShardLength(shard),
                    BlockHashes = shard >= geometry.DataShards ? parityDigests[shard - geometry.DataShards] : null,
                });
            }
        }

        return new ChunkEntry { Index = index, Offset = offset, Length = length, Sha256 = sha, BlockHashes = blocks, Locations = locations };
    }
}
