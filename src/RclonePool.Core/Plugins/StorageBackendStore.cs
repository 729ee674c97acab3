using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using RclonePool.Core.Errors;
using RclonePool.Core.IO;
using RclonePool.Core.Remotes;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// One <c>storage_backend</c> plugin as the <see cref="IRemoteStore"/> of one pool remote (<c>plugin=NAME</c>). Every call
/// goes through the plugin's <see cref="PluginGuard"/> (time-out, exceptions, disabled after repeated failures); a failure
/// surfaces as a transient <see cref="PoolException"/> that names the plugin, so the pool treats the remote as one that
/// is down: reads fail over to other copies, uploads go elsewhere, health reports it. "Not found" (a
/// <see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/> or <see cref="KeyNotFoundException"/>
/// from the plugin) is an answer, not a failure. What the plugin contract lacks is derived: sizes by opening the object
/// (its stream's length, else by reading it), move as copy and delete; times are unknown (now), free space unknown.
/// </summary>
public sealed class StorageBackendStore(string remote, IStorageBackendPlugin plugin, PluginGuard guard) : IRemoteStore
{
    public string Remote { get; } = remote;

    public PluginGuard Guard => guard;

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var counted = new CountingStream(content);
        await CallAsync("write", target, async ct =>
        {
            try
            {
                await plugin.WriteAsync(target.Path, counted, ct);
            }
            catch (Exception) when (counted.SourceFailure is not null)
            {
                // The content failed, not the plugin: its own error surfaces below.
            }

            return true;
        }, cancellationToken);
        if (counted.SourceFailure is { } source)
        {
            await DeleteAsync(target, CancellationToken.None);
            ExceptionDispatchInfo.Throw(source);
        }

        if (length >= 0 && counted.Count != length)
        {
            await DeleteAsync(target, CancellationToken.None);
            throw new PoolException(PoolErrorKind.BadInput, $"The content for {target} had {counted.Count} bytes where {length} were announced; nothing was stored.");
        }
    }

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var (found, stream) = await CallAsync("read", source, ct => plugin.OpenReadAsync(source.Path, offset, count, ct), cancellationToken);
        return found ? stream! : throw new PoolException(PoolErrorKind.NotFound, $"{source} does not exist (storage_backend plugin {guard.Id}).");
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (_, paths) = await CallAsync("list", directory, async ct =>
        {
            var all = new List<string>();
            await foreach (var path in plugin.ListAsync(directory.Path, ct).WithCancellation(ct))
            {
                all.Add(path);
            }

            return all;
        }, cancellationToken);

        var prefix = directory.Path.Length == 0 ? string.Empty : directory.Path.TrimEnd('/') + "/";
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in (paths ?? []).Select(p => p.TrimStart('/')).Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.Length > prefix.Length).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var rest = path[prefix.Length..];
            for (var slash = rest.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = recursive ? rest.IndexOf('/', slash + 1) : -1)
            {
                if (directories.Add(prefix + rest[..slash]))
                {
                    yield return new RemoteEntry(prefix + rest[..slash], 0, DateTimeOffset.UtcNow, IsDirectory: true);
                }
            }

            if (recursive || !rest.Contains('/', StringComparison.Ordinal))
            {
                var size = await SizeAsync(directory with { Path = path }, cancellationToken);
                if (size >= 0)
                {
                    yield return new RemoteEntry(path, size, DateTimeOffset.UtcNow, IsDirectory: false);
                }
            }
        }
    }

    public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var size = await SizeAsync(path, cancellationToken);
        return size < 0 ? null : new RemoteEntry(path.Path, size, DateTimeOffset.UtcNow, IsDirectory: false);
    }

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var (found, deleted) = await CallAsync("delete", path, ct => plugin.DeleteAsync(path.Path, ct), cancellationToken);
        return found && deleted;
    }

    /// <summary>Copies through the pool (the contract has no move), then deletes the source.</summary>
    public async Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        await using (var source = await OpenReadAsync(from, 0, -1, cancellationToken))
        {
            await WriteAsync(to, source, -1, cancellationToken);
        }

        await DeleteAsync(from, cancellationToken);
    }

    /// <summary>Unknown: the contract does not tell a store's space.</summary>
    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => Task.FromResult<RemoteUsage?>(null);

    /// <summary>Nothing to stop: the plugin catalog owns the plugin.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The size of an object (its stream's length, else counted), or -1 when it does not exist.</summary>
    private async Task<long> SizeAsync(RemotePath path, CancellationToken cancellationToken)
    {
        var (found, size) = await CallAsync("stat", path, async ct =>
        {
            await using var stream = await plugin.OpenReadAsync(path.Path, 0, -1, ct);
            if (stream.CanSeek)
            {
                return stream.Length;
            }

            var buffer = new byte[81920];
            long total = 0;
            for (int read; (read = await stream.ReadAsync(buffer, ct)) > 0;)
            {
                total += read;
            }

            return total;
        }, cancellationToken);
        return found ? size : -1;
    }

    /// <summary>
    /// Runs one plugin call through the guard: (true, result) on success, (false, default) when the plugin said the object
    /// does not exist; a failure, a time-out or a disabled plugin throws a transient <see cref="PoolException"/> naming it.
    /// </summary>
    private async Task<(bool Found, T? Result)> CallAsync<T>(string operation, RemotePath path, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        T? result = default;
        var found = true;
        Exception? failure = null;
        var succeeded = await guard.TryInvokeAsync(async ct =>
        {
            try
            {
                result = await call(ct);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException)
            {
                found = false;
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
        }, $"the {operation} of {path} fails as on a remote that is down", cancellationToken);
        if (succeeded)
        {
            return (found, result);
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw guard.IsDisabled && failure is null
            ? StorageBackendErrors.Disabled(Remote, guard.Id)
            : StorageBackendErrors.Failed(Remote, guard.Id, operation, path, failure, guard.Timeout);
    }

    /// <summary>Counts the bytes the plugin reads from the content it writes, and keeps the content's own failure.</summary>
    private sealed class CountingStream(Stream inner) : ReadOnlyStream
    {
        public long Count { get; private set; }

        /// <summary>The exception reading the content threw, when it did.</summary>
        public Exception? SourceFailure { get; private set; }

        protected override long BytesHandedOut => Count;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                var read = await inner.ReadAsync(buffer, cancellationToken);
                Count += read;
                return read;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SourceFailure ??= e;
                throw;
            }
        }

        public override int Read(Span<byte> buffer)
        {
            try
            {
                var read = inner.Read(buffer);
                Count += read;
                return read;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SourceFailure ??= e;
                throw;
            }
        }
    }
}
