using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.Integrity;

/// <summary>The SHA-256 of a range of a local file, read through its handle without moving any stream position.</summary>
public static class FileRangeHash
{
    private const int BufferSize = 1 << 20;

    /// <summary>Lower-case hex SHA-256 of <paramref name="length"/> bytes from <paramref name="start"/> (fewer when the file ends first).</summary>
    public static async Task<string> Sha256Async(SafeFileHandle handle, long start, long length, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long done = 0;
            while (done < length)
            {
                var want = (int)Math.Min(buffer.Length, length - done);
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), start + done, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                done += read;
            }

            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
