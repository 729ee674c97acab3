using System.Buffers;
using System.Security.Cryptography;

namespace RclonePool.Core.Chunking;

/// <summary>
/// One chunk of a stream that cannot be read twice, held so it can be uploaded (and retried): in memory
/// for small chunks, otherwise in a private file under <c>temp_dir</c> that is deleted on dispose.
/// </summary>
public sealed class ChunkSpool : IAsyncDisposable
{
    /// <summary>Chunks up to this size are spooled in memory.</summary>
    public const long MemoryLimit = 8 * 1024 * 1024;

    private readonly byte[]? _memory;
    private readonly string? _file;

    private ChunkSpool(byte[]? memory, string? file, long length)
    {
        _memory = memory;
        _file = file;
        Length = length;
    }

    public long Length { get; }

    /// <summary>Reads up to <paramref name="chunkSize"/> bytes of <paramref name="source"/>, feeding <paramref name="fileHash"/>.</summary>
    /// <param name="expectedLength">Bytes the whole source announced (-1 unknown): a small upload is held in memory whatever the chunk size.</param>
    public static async Task<ChunkSpool> FillAsync(Stream source, long chunkSize, string tempDir, IncrementalHash fileHash, CancellationToken cancellationToken, long expectedLength = -1)
    {
        if (chunkSize <= MemoryLimit || (expectedLength >= 0 && expectedLength <= MemoryLimit))
        {
            // Grow as data arrives, so a small file does not cost a whole chunk of memory.
            // One byte more than announced, so a source that sends too much is noticed by the caller.
            var limit = Math.Min(chunkSize, expectedLength >= 0 ? expectedLength + 1 : chunkSize);
            var memory = new byte[Math.Min(limit, 64 * 1024)];
            var filled = 0;
            while (true)
            {
                var read = await ReadUpToAsync(source, memory.AsMemory(filled), cancellationToken);
                filled += read;
                if (filled < memory.Length || memory.Length >= limit)
                {
                    break;
                }

                Array.Resize(ref memory, (int)Math.Min(limit, memory.Length * 2L));
            }

            fileHash.AppendData(memory, 0, filled);
            return new ChunkSpool(memory, null, filled);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        long total = 0;
        var file = CreateFile(tempDir, out var path);
        try
        {
            await using var written = file;
            while (total < chunkSize)
            {
                var want = (int)Math.Min(buffer.Length, chunkSize - total);
                var read = await ReadUpToAsync(source, buffer.AsMemory(0, want), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                fileHash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ChunkSpool(null, path, total);
    }

    /// <summary>A spool of the first <paramref name="length"/> bytes of <paramref name="memory"/>.</summary>
    internal static ChunkSpool OfMemory(byte[] memory, long length) => new(memory, null, length);

    /// <summary>A spool of the private file <paramref name="path"/> (made by <see cref="CreateFile"/>), deleted on dispose.</summary>
    internal static ChunkSpool OfFile(string path, long length) => new(null, path, length);

    /// <summary>Creates a new private spool file (mode 0600) under <paramref name="tempDir"/>, open for writing.</summary>
    internal static FileStream CreateFile(string tempDir, out string path)
    {
        Directory.CreateDirectory(tempDir);
        path = Path.Combine(tempDir, $"spool-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    public Stream OpenRead() => _memory is not null
        ? new MemoryStream(_memory, 0, (int)Length, writable: false)
        : new FileStream(_file!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            File.Delete(_file);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<int> ReadUpToAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
