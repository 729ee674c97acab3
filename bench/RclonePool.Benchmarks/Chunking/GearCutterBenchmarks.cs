using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using RclonePool.Core.Chunking;

namespace RclonePool.Benchmarks.Chunking;

/// <summary>
/// The content-defined chunker on 64 MiB of random bytes fed in 1 MiB pieces, as an upload feeds it, with the default
/// sizes (1 MiB, 4 MiB, 16 MiB: the bytes before each minimum are skipped) and with 16 KiB, 64 KiB, 256 KiB (the tests'
/// sizes: almost every byte hashed and tested); beside it SHA-256 of the same bytes (what every upload already pays for the whole-file
/// hash), the baseline. Run:
/// <c>dotnet run -c Release --project bench/RclonePool.Benchmarks -- --filter '*GearCutter*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class GearCutterBenchmarks
{
    private const int Piece = 1 << 20;

    private byte[] _data = [];
    private CdcSizes _sizes = CdcSizes.Default;

    [Params("1M-4M-16M", "16K-64K-256K")]
    public string Sizes { get; set; } = "1M-4M-16M";

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[64 << 20];
        new Random(1).NextBytes(_data);
        _sizes = Sizes == "1M-4M-16M" ? CdcSizes.Default : new CdcSizes(16 << 10, 64 << 10, 256 << 10);
    }

    [Benchmark(Baseline = true)]
    public byte[] Sha256() => SHA256.HashData(_data);

    [Benchmark]
    public int GearCut()
    {
        var cutter = new GearCutter(_sizes);
        var chunks = 0;
        for (var at = 0; at < _data.Length; at += Piece)
        {
            var piece = _data.AsSpan(at, Piece);
            while (!piece.IsEmpty)
            {
                var cut = cutter.Feed(piece);
                if (cut < 0)
                {
                    break;
                }

                chunks++;
                piece = piece[cut..];
            }
        }

        return chunks;
    }
}
