using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Cli;

public sealed partial class CliRemoteStore
{
    private async Task<RcloneProcess> StartAsync(IReadOnlyList<string> arguments, bool keepInput = false, bool drainOutput = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RcloneArguments.EnsureNoRemoteControlFlags(_options);
        var process = await RcloneProcess.StartAsync(_options, arguments, _logger, keepInput, drainOutput);
        _running[process] = 0;
        return process;
    }

    private void Release(RcloneProcess process) => _running.TryRemove(process, out _);

    private async Task DisposeProcessAsync(RcloneProcess process)
    {
        Release(process);
        await process.DisposeAsync();
    }

    private async Task<RcloneCommandResult> RunAsync(IReadOnlyList<string> arguments, RcloneCall call, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RcloneArguments.EnsureNoRemoteControlFlags(_options);
        return await RcloneCommand.RunAsync(_options, arguments, _logger, call, cancellationToken);
    }

    /// <summary>
    /// Copies the content into rclone's stdin, holding it to the announced length. False when rclone stopped reading
    /// (it failed; its exit code and stderr tell why); the source's own failures are thrown as they are.
    /// </summary>
    private static async Task<bool> CopyToInputAsync(Stream content, RcloneProcess process, long length, RemotePath target, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
            {
                total += read;
                if (length >= 0 && total > length)
                {
                    throw LengthMismatch(target, $"more than {length}", length);
                }

                try
                {
                    await process.Input.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
            }

            if (length >= 0 && total != length)
            {
                throw LengthMismatch(target, $"only {total}", length);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The first bytes of rclone's output; 0 when it ended, broke, or the token fired (the caller checks which).</summary>
    private static async Task<int> ReadFirstAsync(RcloneProcess process, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await process.Output.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return 0;
        }
    }

    private static PoolException LengthMismatch(RemotePath target, string actual, long announced) => new(
        PoolErrorKind.BadInput,
        $"The content written to {target.ToRcloneSpec()} holds {actual} bytes, not the {announced} announced; the upload was abandoned.");

    private static void EnsureObjectPath(RemotePath path)
    {
        if (path.Path.Length == 0 || path.Path.EndsWith('/'))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"\"{path.ToRcloneSpec()}\" does not name an object (the path is empty or ends with '/').");
        }
    }

    private static T Parse<T>(byte[] output, JsonTypeInfo<T> type, RcloneCall call)
    {
        try
        {
            return JsonSerializer.Deserialize(output, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw call.Unreachable($"rclone's output could not be read ({e.Message})", e);
        }
    }
}
