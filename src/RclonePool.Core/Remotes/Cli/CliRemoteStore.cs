using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Cli;

/// <summary>
/// <see cref="IRemoteStore"/> that runs one <c>rclone</c> command per call (<c>rcat</c>, <c>cat</c>, <c>lsjson</c>,
/// <c>about</c>, <c>deletefile</c>, <c>moveto</c>): the fallback when the daemon is disabled
/// (<c>enable_rclone_daemon: false</c>). Data streams through the processes' stdin and stdout; a cancelled call kills
/// its process, and disposing the store kills any that still run.
/// </summary>
public sealed partial class CliRemoteStore : IRemoteStore, ILocalDirectoryLookup
{
    private const int CopyBufferSize = 128 * 1024;
    private const int PeekSize = 64 * 1024;

    private readonly RcloneOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RcloneProcess, byte> _running = new();
    private volatile bool _disposed;

    public CliRemoteStore(RcloneOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CliRemoteStore>();
    }

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, -1);
        EnsureObjectPath(target);
        var call = RcloneCall.For("write", target);
        // rclonepool hashes what it sends and verifies every byte it reads back, so rclone's own upload checksum
        // (hashing the stream and, on some backends, re-reading the object) is redundant work: skip it.
        string[] flags = length >= 0
            ? ["--ignore-checksum", "--size", length.ToString(CultureInfo.InvariantCulture)]
            : ["--ignore-checksum"];
        await using var process = await StartAsync(RcloneArguments.Command(_options, "rcat", flags, target.ToRcloneSpec()), keepInput: true, drainOutput: true);
        try
        {
            using (cancellationToken.Register(process.Kill))
            {
                if (await CopyToInputAsync(content, process, length, target, cancellationToken))
                {
                    process.Input.Close();
                }

                var exitCode = await process.WaitForExitAsync(cancellationToken);
                if (exitCode != 0)
                {
                    throw call.FromExit(exitCode, process.ErrorLines);
                }
            }
        }
        finally
        {
            Release(process);
        }
    }

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, -1);
        EnsureObjectPath(source);
        if (count == 0)
        {
            return await StatAsync(source, cancellationToken) is null ? throw RcloneErrors.NotFound(source.ToRcloneSpec()) : Stream.Null;
        }

        var call = RcloneCall.For("read", source);
        List<string> flags = [];
        if (offset > 0)
        {
            flags.AddRange(["--offset", offset.ToString(CultureInfo.InvariantCulture)]);
        }

        if (count > 0)
        {
            flags.AddRange(["--count", count.ToString(CultureInfo.InvariantCulture)]);
        }

        var process = await StartAsync(RcloneArguments.Command(_options, "cat", flags, source.ToRcloneSpec()));
        try
        {
            // Wait for the first bytes or the end (within the call timeout), so that a missing object fails here
            // rather than on the first read.
            var first = new byte[PeekSize];
            int read;
            int exitCode;
            using (var untilAnswer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                untilAnswer.CancelAfter(_options.CallTimeout);
                using var kill = untilAnswer.Token.Register(process.Kill);
                read = await ReadFirstAsync(process, first, untilAnswer.Token);
                exitCode = read == 0 ? await process.WaitForExitAsync(CancellationToken.None) : 0;
                if (untilAnswer.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw call.TimedOut(_options.CallTimeout);
                }
            }

            if (read == 0)
            {
                if (exitCode != 0)
                {
                    throw call.FromExit(exitCode, process.ErrorLines);
                }

                // Nothing and no error: an empty object or range, or (on bucket remotes) no object at all.
                await DisposeProcessAsync(process);
                return await StatAsync(source, cancellationToken) is null ? throw call.NotFound() : Stream.Null;
            }

            return new CliReadStream(process, first.AsMemory(0, read), call, () => Release(process), cancellationToken);
        }
        catch
        {
            await DisposeProcessAsync(process);
            throw;
        }
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = RcloneCall.For("list", directory);
        string[] flags = recursive ? ["-R", "--no-mimetype"] : ["--no-mimetype"];
        await using var process = await StartAsync(RcloneArguments.Command(_options, "lsjson", flags, directory.ToRcloneSpec()));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.CallTimeout);
            using var kill = timeout.Token.Register(process.Kill);
            var items = JsonSerializer.DeserializeAsyncEnumerable(process.Output, RcloneJsonContext.Default.RcloneItem, timeout.Token);
            await using var enumerator = items.GetAsyncEnumerator(timeout.Token);
            var unreadable = false;
            while (true)
            {
                RcloneItem? item;
                try
                {
                    if (!await enumerator.MoveNextAsync())
                    {
                        break;
                    }

                    item = enumerator.Current;
                }
                catch (JsonException)
                {
                    // rclone printed "[" and then failed (a missing directory does that): its exit code says why.
                    unreadable = true;
                    break;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw call.TimedOut(_options.CallTimeout);
                }

                if (item is not null)
                {
                    yield return item.ToEntry(directory.Path);
                }
            }

            var exitCode = await process.WaitForExitAsync(cancellationToken);
            if (exitCode != 0)
            {
                if (call.Classify(exitCode, process.ErrorLines) == PoolErrorKind.NotFound)
                {
                    yield break;
                }

                throw call.FromExit(exitCode, process.ErrorLines);
            }

            if (unreadable)
            {
                throw call.Unreachable("rclone lsjson wrote a listing that is not valid JSON");
            }
        }
        finally
        {
            Release(process);
        }
    }

    public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var call = RcloneCall.For("stat", path);
        var result = await RunAsync(RcloneArguments.Command(_options, "lsjson", ["--stat", "--no-mimetype"], path.ToRcloneSpec()), call, cancellationToken);
        if (!result.Succeeded)
        {
            return call.Classify(result.ExitCode, result.ErrorLines) == PoolErrorKind.NotFound
                ? null
                : throw call.FromExit(result.ExitCode, result.ErrorLines);
        }

        var item = Parse(result.Output, RcloneJsonContext.Default.RcloneItem, call);
        return item.ToEntry("") with { Path = path.Path };
    }

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        EnsureObjectPath(path);
        var call = RcloneCall.For("delete", path);
        var result = await RunAsync(RcloneArguments.Command(_options, "deletefile", ["--retries", "1"], path.ToRcloneSpec()), call, cancellationToken);
        if (result.Succeeded)
        {
            return true;
        }

        return call.Classify(result.ExitCode, result.ErrorLines) == PoolErrorKind.NotFound
            ? false
            : throw call.FromExit(result.ExitCode, result.ErrorLines);
    }

    public async Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        EnsureObjectPath(from);
        EnsureObjectPath(to);

        // moveto treats a missing source as an (empty) directory and, on bucket remotes, "succeeds": check first.
        var source = await StatAsync(from, cancellationToken);
        if (source is null || source.IsDirectory)
        {
            throw RcloneErrors.NotFound(from.ToRcloneSpec());
        }

        var call = new RcloneCall("move", $"{from.ToRcloneSpec()} to {to.ToRcloneSpec()}", from.Remote);
        var result = await RunAsync(RcloneArguments.Command(_options, "moveto", ["--retries", "1"], from.ToRcloneSpec(), to.ToRcloneSpec()), call, cancellationToken);
        if (!result.Succeeded)
        {
            throw call.FromExit(result.ExitCode, result.ErrorLines);
        }
    }

    public async Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remote);
        var call = new RcloneCall("query the space of", remote, remote);
        var result = await RunAsync(RcloneArguments.Command(_options, "about", ["--json"], remote), call, cancellationToken);
        if (!result.Succeeded)
        {
            return RcloneErrors.IsAboutUnsupported(RcloneErrors.Summarize(result.ErrorLines))
                ? null
                : throw call.FromExit(result.ExitCode, result.ErrorLines);
        }

        return Parse(result.Output, RcloneJsonContext.Default.RcloneAbout, call).ToUsage();
    }

    public async Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remote);
        var call = new RcloneCall("describe", remote, remote);
        var result = await RunAsync(RcloneArguments.Command(_options, "backend", [], "features", remote), call, cancellationToken);
        return result.Succeeded ? Parse(result.Output, RcloneJsonContext.Default.FsInfoReply, call).LocalDirectory : throw call.FromExit(result.ExitCode, result.ErrorLines);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var process in _running.Keys)
        {
            process.Kill();
        }

        await Task.WhenAll(_running.Keys.Select(p => p.DisposeAsync().AsTask()));
        _running.Clear();
    }
}
