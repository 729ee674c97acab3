using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Config;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav;

/// <summary>
/// Runs the WebDAV request paths once before the server listens, so that its first clients do not wait while they are
/// compiled: a cold server answered a first PROPFIND of 10,000 entries in 0.26 s against 0.07 s warm, and ran its first
/// thousands of small PUTs slower than later ones (docs/benchmarks.md, issue 20). The requests go to a scratch pool (two
/// directories under <c>temp_dir</c>, its own index, no plugins, no event commands) through the same handler code the
/// real pool is served by: MKCOL, PUT, PROPFIND (allprop and prop, Depth 0 and 1), GET (whole and a range), HEAD. Then
/// a directory of <see cref="ListingEntries"/> files is added to the scratch index, and the pool is handed back open
/// (<see cref="DavScratch"/>): once the socket listens, the loopback warm-up lists that directory through Kestrel and
/// the whole middleware pipeline (<see cref="Transport.LoopbackWarmUp"/>). The served pool is never touched; the
/// scratch pool's directory is removed before the server reports that it is ready.
/// </summary>
internal static class DavWarmUp
{
    private static readonly byte[] SmallFile = "rclonepool warm-up: a small file, as many clients write them.\n"u8.ToArray();

    private static readonly byte[] PropBody =
        """<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/></D:prop></D:propfind>"""u8.ToArray();

    /// <summary>
    /// Files in the scratch pool's listing directory: enough that a PROPFIND of it fills and sends the response buffer
    /// several times (some 0.7 MB of XML), so the loopback warm-up's request waits on the socket as a large listing does.
    /// </summary>
    public const int ListingEntries = 1_000;

    /// <summary>
    /// Warms the paths for a server of <paramref name="options"/> and returns the scratch pool, still open, for the
    /// loopback warm-up (the caller disposes it); null when a step failed, logged at Debug (the server works without).
    /// </summary>
    public static async Task<DavScratch?> RunAsync(PoolConfig served, ServerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var directory = Path.Combine(ConfigLoader.ExpandHome(served.TempDir), $"warm-up-{Environment.ProcessId}-{Guid.NewGuid():N}");
        StoragePool? pool = null;
        try
        {
            var config = new PoolConfig
            {
                Remotes = [Path.Combine(directory, "r1"), Path.Combine(directory, "r2")],
                ManifestCacheDir = Path.Combine(directory, "index"),
                TempDir = Path.Combine(directory, "tmp"),
                ChunkSize = served.ChunkSize,
                ShowProgress = false,
            };
            // The descriptors are written as files: asking the store for a missing one would go through rclone.
            var poolId = ManifestNames.NewId();
            foreach (var remote in config.Remotes)
            {
                Directory.CreateDirectory(remote);
                var descriptor = new PoolDescriptor { PoolId = poolId, Remote = remote, Created = DateTimeOffset.UtcNow };
                await File.WriteAllBytesAsync(Path.Combine(remote, ManifestNames.DescriptorName), ManifestSerializer.Serialize(descriptor), cancellationToken);
            }

            // An empty index marked as loaded: a new index would be loaded from the remotes by a survey, whose listings
            // go through rclone (an rclone process started for the scratch pool, seconds on a loaded machine).
            IPoolIndex? index = null;
            pool = await new PoolBuilder(config).UseIndex(async (path, ct) =>
            {
                var opened = await SqlitePoolIndex.OpenAsync(path, cancellationToken: ct);
                await opened.ReplaceAllAsync([], ct);
                index = opened;
                return opened;
            }).OpenAsync(cancellationToken);
            var endpoint = new WebDavEndpoint(pool, options with { PathBase = null }, NullLoggerFactory.Instance);
            // Only what the local-directory store does itself: an overwrite, MOVE or DELETE removes objects through
            // rclone, and would start an rclone process for the scratch pool.
            await SendAsync(endpoint, "MKCOL", "/warm/", cancellationToken);
            await SendAsync(endpoint, "PUT", "/warm/a.txt", cancellationToken, body: SmallFile);
            await SendAsync(endpoint, "PUT", "/warm/b.txt", cancellationToken, body: SmallFile);
            await SendAsync(endpoint, "PROPFIND", "/warm/", cancellationToken, depth: "1");
            await SendAsync(endpoint, "PROPFIND", "/warm/", cancellationToken, depth: "1", body: PropBody);
            await SendAsync(endpoint, "PROPFIND", "/warm/a.txt", cancellationToken, depth: "0", body: PropBody);
            await SendAsync(endpoint, "GET", "/warm/a.txt", cancellationToken);
            await SendAsync(endpoint, "GET", "/warm/a.txt", cancellationToken, range: "bytes=0-9");
            await SendAsync(endpoint, "HEAD", "/warm/a.txt", cancellationToken);
            await AddListingAsync(pool, index!, cancellationToken);
            ServerLog.WarmedUp(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var scratch = new DavScratch(pool, endpoint, directory, logger);
            pool = null;
            return scratch;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ServerLog.WarmUpFailed(logger, e.Message);
            return null;
        }
        finally
        {
            if (pool is not null)
            {
                await pool.DisposeAsync();
                DavScratch.Remove(directory, logger);
            }
        }
    }

    /// <summary>
    /// <see cref="ListingEntries"/> files in <see cref="DavScratch.ListingPath"/>, written to the index only (copies of
    /// one PUT file's manifest: listed, never read), in one transaction.
    /// </summary>
    private static async Task AddListingAsync(StoragePool pool, IPoolIndex index, CancellationToken cancellationToken)
    {
        var file = await pool.GetManifestAsync(PoolPath.Parse("/warm/a.txt"), cancellationToken)
            ?? throw new InvalidOperationException("/warm/a.txt is not in the scratch index.");
        var kept = new List<Manifest> { file };
        foreach (var path in new[] { "/warm", "/warm/b.txt" })
        {
            if (await pool.GetManifestAsync(PoolPath.Parse(path), cancellationToken) is { } manifest)
            {
                kept.Add(manifest);
            }
        }

        // Names with and without a space: the href is percent-encoded on its slow and its fast path.
        var listing = DavScratch.ListingPath.TrimEnd('/');
        var all = kept.Concat(Enumerable.Range(0, ListingEntries).Select(i =>
            file with { FileId = ManifestNames.NewId(), Path = $"{listing}/{(i % 2 == 0 ? "file " : "file-")}{i:D4}.txt" }));
        await index.ReplaceAllAsync(all, cancellationToken);
    }

    /// <summary>One request through the endpoint, as Kestrel would hand it over, its response body thrown away.</summary>
    private static async Task SendAsync(
        WebDavEndpoint endpoint, string method, string target, CancellationToken cancellationToken,
        byte[]? body = null, string? depth = null, string? range = null)
    {
        var http = new DefaultHttpContext { RequestAborted = cancellationToken };
        var request = http.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1");
        request.Path = target;
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        if (body is not null)
        {
            request.Body = new MemoryStream(body, writable: false);
            request.ContentLength = body.Length;
        }

        if (depth is not null)
        {
            request.Headers["Depth"] = depth;
        }

        if (range is not null)
        {
            request.Headers.Range = range;
        }

        http.Response.Body = Stream.Null;
        await endpoint.InvokeAsync(http);
        if (http.Response.StatusCode >= 400)
        {
            throw new InvalidOperationException($"{method} {target} answered {http.Response.StatusCode}.");
        }
    }
}
