using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Cli;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// <see cref="IRemoteStore"/> over one supervised <c>rclone rcd</c> (<see cref="RcloneDaemon"/>), through one pooled
/// <see cref="HttpClient"/>: uploads stream through <c>operations/uploadfile</c>, ranged reads come from the rc file
/// server, listing, stat, delete, move and about are rc calls. A call that finds the daemon dead restarts it and is
/// sent once more when that is safe (nothing of the request was consumed).
/// </summary>
public sealed partial class RcdRemoteStore : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes, IRemoteCopies
{
    private readonly RcloneDaemon _daemon;
    private readonly bool _ownsDaemon;
    private readonly ILogger _logger;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly Lazy<CliRemoteStore> _commandStore;
    private readonly RcdUploadConfig _uploadConfig;
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _hashTypes = new(StringComparer.Ordinal);

    /// <summary>A store with its own daemon, stopped when the store is disposed.</summary>
    public RcdRemoteStore(RcloneOptions options, ILoggerFactory? loggerFactory = null)
        : this(new RcloneDaemon(options, loggerFactory), ownsDaemon: true, loggerFactory)
    {
    }

    /// <summary>A store over <paramref name="daemon"/>; with <paramref name="ownsDaemon"/>, disposing the store stops it.</summary>
    public RcdRemoteStore(RcloneDaemon daemon, bool ownsDaemon, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        _daemon = daemon;
        _ownsDaemon = ownsDaemon;
        _loggerFactory = loggerFactory;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RcdRemoteStore>();
        _commandStore = new Lazy<CliRemoteStore>(() => new CliRemoteStore(daemon.Options, _loggerFactory));
        _uploadConfig = new RcdUploadConfig(daemon.Options);
    }

    /// <summary>The daemon this store talks to.</summary>
    public RcloneDaemon Daemon => _daemon;

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, -1);
        var (directory, name) = SplitObjectPath(target);
        var call = RcloneCall.For("write", target);
        var progress = new RcdUploadContent.Progress();
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(
                endpoint =>
                {
                    var query = $"operations/uploadfile?fs={Uri.EscapeDataString(target.Remote)}&remote={Uri.EscapeDataString(directory)}&_config={_uploadConfig.For(length)}";
                    var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, query))
                    {
                        Content = new RcdUploadContent(content, length, name, target.ToRcloneSpec(), progress),
                    };

                    // rclone answers an unknown remote before it reads the body: with 100-continue, the body is not sent in vain.
                    request.Headers.ExpectContinue = true;
                    return request;
                },
                call,
                mayResend: _ => progress.BytesRead == 0 && progress.SourceFailure is null,
                HttpCompletionOption.ResponseContentRead,
                cancellationToken);
        }
        catch (Exception) when (progress.SourceFailure is { } failure)
        {
            failure.Throw();
            throw;
        }

        using (response)
        {
            await ThrowIfFailedAsync(response, call, cancellationToken);
        }

        CountWrites(1);
    }

    // rclone keeps accounting for every finished transfer until its stats are reset: tens of KiB per file written, so
    // a server taking many small uploads would grow by gigabytes. The stats are reset after every so many objects.
    private const int WritesBetweenStatsResets = 500;
    private int _writesSinceReset;

    private void CountWrites(int objects)
    {
        if (Interlocked.Add(ref _writesSinceReset, objects) < WritesBetweenStatsResets)
        {
            return;
        }

        Interlocked.Exchange(ref _writesSinceReset, 0);
        _ = Task.Run(async () =>
        {
            try
            {
                await CallAsync("core/stats-reset", new JsonObject(), new RcloneCall("stats-reset", "rclone's transfer statistics", string.Empty), RcloneJsonContext.Default.ErrorReply, notFoundIsNull: false, OnlyToNewDaemon, CancellationToken.None);
            }
            catch (Exception e) when (e is PoolException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                _logger.LogDebug("Resetting rclone's transfer statistics failed ({Error}); tried again after the next writes.", e.Message);
            }
        });
    }

    /// <summary>Several small objects into one directory in one <c>operations/uploadfile</c> call (one part per object).</summary>
    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (objects.Count == 1)
        {
            await this.WriteBytesAsync(directory.Child(objects[0].Name), objects[0].Bytes, cancellationToken);
            return;
        }

        if (objects.Count == 0)
        {
            return;
        }

        var (body, contentType) = RcdUploadContent.Multipart(objects);
        var config = _uploadConfig.For(objects.Max(o => (long)o.Bytes.Length));
        var call = RcloneCall.For("write", directory);
        using var response = await SendAsync(
            endpoint =>
            {
                var query = $"operations/uploadfile?fs={Uri.EscapeDataString(directory.Remote)}&remote={Uri.EscapeDataString(directory.Path)}&_config={config}";
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = contentType;
                return new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, query)) { Content = content };
            },
            call,
            mayResend: _ => true,
            HttpCompletionOption.ResponseContentRead,
            cancellationToken);
        await ThrowIfFailedAsync(response, call, cancellationToken);
        CountWrites(objects.Count);
    }

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, -1);
        _ = SplitObjectPath(source);
        if (count == 0)
        {
            return await StatAsync(source, cancellationToken) is null ? throw RcloneErrors.NotFound(source.ToRcloneSpec()) : Stream.Null;
        }

        if (!RcdFileUrl.CanServe(source.Remote, source.Path))
        {
            RcloneLog.ReadThroughCommand(_logger, source.Remote);
            return await _commandStore.Value.OpenReadAsync(source, offset, count, cancellationToken);
        }

        var call = RcloneCall.For("read", source);
        var limit = _daemon.Options.CallTimeout;
        HttpResponseMessage response;
        using (var untilHeaders = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // The answer (headers) must come within the call timeout; the transfer itself is bounded by the caller only.
            untilHeaders.CancelAfter(limit);
            try
            {
                response = await SendAsync(
                    endpoint =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, RcdFileUrl.For(endpoint.BaseAddress, source.Remote, source.Path));
                        request.Headers.Range = new RangeHeaderValue(offset, count > 0 ? offset + count - 1 : null);
                        return request;
                    },
                    call,
                    mayResend: Always,
                    HttpCompletionOption.ResponseHeadersRead,
                    untilHeaders.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw call.TimedOut(limit);
            }
        }

        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.PartialContent:
                    return new RcdReadStream(response, await response.Content.ReadAsStreamAsync(cancellationToken), 0, count, call, cancellationToken);
                case HttpStatusCode.OK when response.Content.Headers.ContentType?.MediaType == "text/html":
                    // Objects are always answered 206 (a Range is always sent); a 200 HTML page is a directory listing.
                    response.Dispose();
                    throw call.Failed("it is a directory, not an object", (int)HttpStatusCode.NotFound);
                case HttpStatusCode.OK:
                    return new RcdReadStream(response, await response.Content.ReadAsStreamAsync(cancellationToken), offset, count, call, cancellationToken);
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    response.Dispose();
                    return Stream.Null;
                case HttpStatusCode.NotFound:
                    // rclone's file server answers 404 whenever opening the object fails, also when its remote went
                    // down between finding the object and opening it, and some backends (WebDAV) answer a range past
                    // the end with "not found": only a stat tells a missing object from those.
                    response.Dispose();
                    return await StatAsync(source, cancellationToken) switch
                    {
                        null => throw call.NotFound(),
                        { } entry when offset >= entry.Size => Stream.Null,
                        _ => throw call.Unreachable("the rc file server answered 404 for an object that exists"),
                    };
                default:
                    await ThrowIfFailedAsync(response, call, cancellationToken);
                    throw call.Failed($"unexpected HTTP status {(int)response.StatusCode} from the rc file server", (int)response.StatusCode);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var input = new JsonObject
        {
            ["fs"] = directory.Remote,
            ["remote"] = directory.Path,
            ["opt"] = new JsonObject { ["recurse"] = recursive, ["noMimeType"] = true },
        };
        var reply = await CallAsync("operations/list", input, RcloneCall.For("list", directory), RcloneJsonContext.Default.ListReply, notFoundIsNull: true, Always, cancellationToken);
        foreach (var item in reply?.List ?? [])
        {
            // rc paths are relative to the remote root already.
            yield return item.ToEntry("");
        }
    }

    public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["fs"] = path.Remote, ["remote"] = path.Path, ["opt"] = new JsonObject { ["noMimeType"] = true } };
        var reply = await CallAsync("operations/stat", input, RcloneCall.For("stat", path), RcloneJsonContext.Default.StatReply, notFoundIsNull: true, Always, cancellationToken);
        return reply?.Item is { } item ? item.ToEntry("") with { Path = path.Path } : null;
    }

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        _ = SplitObjectPath(path);
        var input = new JsonObject { ["fs"] = path.Remote, ["remote"] = path.Path };
        var reply = await CallAsync("operations/deletefile", input, RcloneCall.For("delete", path), RcloneJsonContext.Default.ErrorReply, notFoundIsNull: true, Always, cancellationToken);
        return reply is not null;
    }

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
        TransferAsync("operations/movefile", "move", from, to, from.Remote, cancellationToken);

    public async Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        await TransferAsync("operations/copyfile", "copy", from, to, to.Remote, cancellationToken);
        return true;
    }

    /// <summary>One object from <paramref name="from"/> to <paramref name="to"/> inside rclone (<c>operations/movefile</c> or <c>copyfile</c>); NotFound when the source is missing.</summary>
    private async Task TransferAsync(string method, string verb, RemotePath from, RemotePath to, string blamed, CancellationToken cancellationToken)
    {
        _ = SplitObjectPath(from);
        _ = SplitObjectPath(to);
        var input = new JsonObject { ["srcFs"] = from.Remote, ["srcRemote"] = from.Path, ["dstFs"] = to.Remote, ["dstRemote"] = to.Path };
        var call = new RcloneCall(verb, $"{from.ToRcloneSpec()} to {to.ToRcloneSpec()}", blamed);
        if (await CallAsync(method, input, call, RcloneJsonContext.Default.ErrorReply, notFoundIsNull: true, OnlyToNewDaemon, cancellationToken) is null)
        {
            throw RcloneErrors.NotFound(from.ToRcloneSpec());
        }
    }

    public async Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remote);
        var call = new RcloneCall("query the space of", remote, remote);
        try
        {
            var reply = await CallAsync("operations/about", new JsonObject { ["fs"] = remote }, call, RcloneJsonContext.Default.RcloneAbout, notFoundIsNull: false, Always, cancellationToken);
            return reply?.ToUsage();
        }
        catch (PoolException e) when (RcloneErrors.IsAboutUnsupported(e.Message))
        {
            return null;
        }
    }

    public async Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remote);
        var call = new RcloneCall("describe", remote, remote);
        var reply = await CallAsync("operations/fsinfo", new JsonObject { ["fs"] = remote }, call, RcloneJsonContext.Default.FsInfoReply, notFoundIsNull: false, Always, cancellationToken);
        return reply?.LocalDirectory;
    }

    public async Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remote);
        if (_hashTypes.TryGetValue(remote, out var known))
        {
            return known;
        }

        var call = new RcloneCall("describe", remote, remote);
        var reply = await CallAsync("operations/fsinfo", new JsonObject { ["fs"] = remote }, call, RcloneJsonContext.Default.FsInfoReply, notFoundIsNull: false, Always, cancellationToken);
        IReadOnlyList<string> types = reply?.Hashes ?? [];
        return _hashTypes.GetOrAdd(remote, types);
    }

    public async Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken)
    {
        _ = SplitObjectPath(path);
        var input = new JsonObject
        {
            ["fs"] = path.Remote,
            ["remote"] = path.Path,
            ["opt"] = new JsonObject { ["noMimeType"] = true, ["showHash"] = true, ["hashTypes"] = new JsonArray(type) },
        };
        var reply = await CallAsync("operations/stat", input, RcloneCall.For("stat", path), RcloneJsonContext.Default.StatReply, notFoundIsNull: true, Always, cancellationToken);
        return reply?.Item?.Hashes is { } hashes && hashes.TryGetValue(type, out var hash) && !string.IsNullOrEmpty(hash) ? hash.ToLowerInvariant() : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_commandStore.IsValueCreated)
        {
            await _commandStore.Value.DisposeAsync();
        }

        if (_ownsDaemon)
        {
            await _daemon.DisposeAsync();
        }
    }

    /// <summary>The directory and the name of an object path; an empty name is refused.</summary>
    private static (string Directory, string Name) SplitObjectPath(RemotePath path)
    {
        var slash = path.Path.LastIndexOf('/');
        var name = path.Path[(slash + 1)..];
        if (name.Length == 0)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"\"{path.ToRcloneSpec()}\" does not name an object (the path is empty or ends with '/').");
        }

        return (slash < 0 ? "" : path.Path[..slash], name);
    }
}
