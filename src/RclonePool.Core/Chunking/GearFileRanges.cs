using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.Chunking;

/// <summary>
/// The content-defined chunks of a local file, found by reading it once in order through one rented buffer; each chunk
/// is handed out as soon as its end is found, so its upload (which reads it again, in place) starts while the scan goes on.
/// The bytes read may feed a whole-file hash on the way, which then needs no read of its own.
/// </summary>
internal static class GearFileRanges
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// The chunks of <paramref name="length"/> bytes from <paramref name="start"/>; a file that ends early ends the last
    /// chunk at <paramref name="length"/> anyway (its upload then finds the bytes missing). <paramref name="fileHash"/>,
    /// when given, is fed every byte read, in order: once the enumeration ended, it has hashed the whole range, or fewer
    /// bytes when the file ended early (<paramref name="hashed"/> counts them).
    /// </summary>
    public static async IAsyncEnumerable<ChunkRange> ScanAsync(SafeFileHandle handle, long start, long length, CdcSizes sizes, IncrementalHash? fileHash, StrongBox<long>? hashed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (length > 0 && length <= sizes.Min && fileHash is null)
        {
            yield return new ChunkRange(0, 0, length); // no cut can fall before the minimum: nothing to read
            yield break;
        }

        var cutter = new GearCutter(sizes);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var index = 0;
            long chunkStart = 0;
            long position = 0;
            while (position < length)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - position)), start + position, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (fileHash is not null)
                {
                    fileHash.AppendData(buffer, 0, read);
                    if (hashed is not null)
                    {
                        hashed.Value += read;
                    }
                }

                var at = 0;
                while (at < read)
                {
                    var cut = cutter.Feed(buffer.AsSpan(at, read - at));
                    if (cut < 0)
                    {
                        break;
                    }

                    at += cut;
                    var end = position + at;
                    yield return new ChunkRange(index++, chunkStart, end - chunkStart);
                    chunkStart = end;
                }

                position += read;
            }

            if (chunkStart < length)
            {
                yield return new ChunkRange(index, chunkStart, length - chunkStart);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
