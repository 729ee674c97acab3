using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using RclonePool.Core.Integrity;

namespace RclonePool.Benchmarks.Chunking;

/// <summary>
/// The read path's block check (xxh128 of one 256 KiB block against its recorded digest, <see cref="BlockDigest.Matches"/>)
/// beside System.IO.Hashing's <see cref="XxHash128"/> alone, on a block that stays in the core's cache (one buffer
/// checked again and again, as a reused read buffer would be) and on blocks of a 64 MiB area taken in turn (each
/// block cold in the caches, as a GET's blocks are when they are read into the response pipe's rotating segments).
/// Per operation: one block, so 256 KiB divided by the mean is the check's throughput. Run:
/// <c>dotnet run -c Release --project bench/RclonePool.Benchmarks -- --filter '*BlockCheck*' --job short</c>.
/// </summary>
public class BlockCheckBenchmarks
{
    private const int Block = 256 * 1024;
    private const int Area = 64 << 20;

    private byte[] _data = [];
    private byte[] _digests = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Area];
        new Random(1).NextBytes(_data);
        var blocks = Area / Block;
        _digests = new byte[blocks * BlockDigest.Size];
        for (var i = 0; i < blocks; i++)
        {
            BlockDigest.Compute(_data.AsSpan(i * Block, Block), _digests.AsSpan(i * BlockDigest.Size, BlockDigest.Size));
        }
    }

    [Benchmark(Baseline = true)]
    public UInt128 XxHash128InCache() => XxHash128.HashToUInt128(_data.AsSpan(0, Block));

    [Benchmark]
    public bool CheckInCache() => BlockDigest.Matches(_data.AsSpan(0, Block), _digests, 0);

    [Benchmark]
    public bool CheckCold()
    {
        var block = _next;
        _next = (_next + 1) % (Area / Block);
        return BlockDigest.Matches(_data.AsSpan(block * Block, Block), _digests, block);
    }
}
