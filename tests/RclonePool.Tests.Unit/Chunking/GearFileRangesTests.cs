using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using RclonePool.Core.Chunking;
using RclonePool.Tests.Unit.Index;

namespace RclonePool.Tests.Unit.Chunking;

/// <summary>
/// The scan of a local file for its content-defined chunks, and the whole-file hash it takes on the way (an upload of a
/// file of several chunks reads it once for both).
/// </summary>
public sealed class GearFileRangesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<ChunkRange>> ScanAsync(string file, long start, long length, IncrementalHash? hash, StrongBox<long>? hashed)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var ranges = new List<ChunkRange>();
        await foreach (var range in GearFileRanges.ScanAsync(handle, start, length, CdcCuts.Small, hash, hashed, Ct))
        {
            ranges.Add(range);
        }

        return ranges;
    }

    [Theory]
    [InlineData(0, 3_000_000)] // several reads of the scan's 1 MiB buffer
    [InlineData(777, 200_000)] // a range that does not start at the file's start
    [InlineData(0, 1024)] // at most the minimum: one chunk
    public async Task The_hash_taken_by_the_scan_is_the_sha256_of_the_range_and_the_chunks_are_the_same_as_without_it(int start, int length)
    {
        using var directory = new TempDirectory();
        var data = CdcCuts.Random(start + length + 500, 5);
        var file = directory.File("f.bin");
        await File.WriteAllBytesAsync(file, data, Ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashed = new StrongBox<long>();

        var withHash = await ScanAsync(file, start, length, hash, hashed);
        var without = await ScanAsync(file, start, length, null, null);

        Assert.Equal(without, withHash);
        Assert.Equal(CdcCuts.Lengths(data[start..(start + length)], CdcCuts.Small).Select(l => (long)l), withHash.Select(r => r.Length));
        Assert.Equal(length, hashed.Value);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(start, length))), Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    [Fact]
    public async Task A_file_shorter_than_the_range_hashes_only_the_bytes_it_has_and_says_how_many()
    {
        using var directory = new TempDirectory();
        var data = CdcCuts.Random(100_000, 6);
        var file = directory.File("short.bin");
        await File.WriteAllBytesAsync(file, data, Ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashed = new StrongBox<long>();

        var ranges = await ScanAsync(file, 0, 150_000, hash, hashed);

        Assert.Equal(100_000, hashed.Value); // the upload compares this with the length it expected and refuses the file
        Assert.Equal(150_000, ranges.Sum(r => r.Length)); // the last chunk still ends at the length asked for
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
