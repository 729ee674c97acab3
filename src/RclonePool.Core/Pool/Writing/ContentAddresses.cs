using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Names chunk objects by their content (<c>enable_deduplication</c>, docs/efficiency.md): the id is the HMAC-SHA256 of
/// the bytes the object holds, keyed with the pool's secret (<see cref="PoolDescriptor.DedupSecret"/>), so identical
/// chunks get one name while a remote's operator cannot test for a known file by its plain SHA-256. A shard of a stripe
/// is named from the chunk's id, the stripe's geometry and the shard's number, since its bytes follow from those.
/// The secret is read from the descriptors on first use, and made then when no descriptor carries one.
/// </summary>
internal sealed class ContentAddresses(PoolContext pool)
{
    private const int SecretBytes = 32;
    private readonly Lock _loadingLock = new();
    private Task<byte[]>? _loading;
    private byte[]? _secret;

    /// <summary>The chunk's content id and the hashes of its bytes, from one read of them.</summary>
    public async Task<ContentDigest> DigestAsync(Func<Stream> openSource, long length, int blockSize, CancellationToken cancellationToken)
    {
        var secret = await SecretAsync(cancellationToken);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        using var hasher = new ChunkHasher(blockSize);
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            await using var source = openSource();
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hmac.AppendData(buffer, 0, read);
                hasher.Append(buffer.AsSpan(0, read));
                total += read;
            }

            if (total != length)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"The source gave {total} bytes for a chunk where {length} were expected; it changed during the upload. Upload it again when nothing writes to it.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var (sha256, blocks) = hasher.Complete();
        return new ContentDigest(Convert.ToHexStringLower(hmac.GetHashAndReset()), sha256, blocks);
    }

    /// <summary>The object path of a whole chunk (single or copy) with this content id.</summary>
    public string WholeObject(string contentId) => pool.Layout.ChunkObject(contentId);

    /// <summary>The object path of one shard of a stripe of the chunk with this content id.</summary>
    public string ShardObject(string contentId, StripeGeometry geometry, int shard)
    {
        var secret = _secret ?? throw new InvalidOperationException("The dedup secret is read before a chunk is named.");
        var what = string.Create(CultureInfo.InvariantCulture, $"shard {contentId} {geometry.DataShards}+{geometry.ParityShards} {geometry.BlockSize} {shard}");
        return pool.Layout.ChunkObject(Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(what))));
    }

    /// <summary>The pool's secret: from the descriptors, or made and written to every remote that has a descriptor.</summary>
    private async ValueTask<byte[]> SecretAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _secret) is { } known)
        {
            return known;
        }

        Task<byte[]> loading;
        lock (_loadingLock)
        {
            // One load for every chunk waiting on it; a failed one is tried again by the next chunk.
            loading = _loading is { IsFaulted: false, IsCanceled: false } ? _loading : (_loading = LoadOrCreateAsync(CancellationToken.None));
        }

        var secret = await loading.WaitAsync(cancellationToken);
        Volatile.Write(ref _secret, secret);
        return secret;
    }

    /// <summary>
    /// Two processes making a secret at once may leave different secrets on different remotes: the smallest one wins
    /// from then on, and the chunks named with the other stay valid (a manifest names its objects), only not shared.
    /// Remotes whose descriptor lacks the chosen secret (added since, or missed) get it.
    /// </summary>
    private async Task<byte[]> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        var descriptors = new PoolDescriptors(pool.Store, pool.Layout);
        var remotes = pool.Remotes.Where(r => !pool.Unclaimed.Names.Contains(r.Name)).ToList();
        var found = await Task.WhenAll(remotes.Select(async remote =>
        {
            try
            {
                return (Remote: remote, Descriptor: await descriptors.ReadAsync(remote, cancellationToken));
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                return (Remote: remote, Descriptor: (PoolDescriptor?)null); // down: it gets the secret when it answers again
            }
        }));

        var secret = found.Select(f => f.Descriptor?.DedupSecret).Where(s => s is not null).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));
        var holders = found.Count(f => f.Descriptor?.DedupSecret == secret);
        foreach (var (remote, descriptor) in found.Where(f => f.Descriptor is not null && f.Descriptor.DedupSecret != secret))
        {
            try
            {
                await pool.Store.WriteBytesAsync(pool.Layout.Descriptor(remote), ManifestSerializer.Serialize(descriptor! with { DedupSecret = secret }), cancellationToken);
                holders++;
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                pool.Logger.LogWarning("Could not store the pool's deduplication secret in the descriptor on {Remote} ({Error}); it is written there on a later upload.", remote.Name, e.Message);
            }
        }

        if (holders == 0)
        {
            throw new PoolException(PoolErrorKind.Transient, "No remote could store the pool's deduplication secret; try again when the remotes answer.");
        }

        return Convert.FromBase64String(secret);
    }
}
