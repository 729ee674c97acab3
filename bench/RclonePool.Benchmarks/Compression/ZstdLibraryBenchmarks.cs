using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using RclonePool.Core.Compression;

namespace RclonePool.Benchmarks.Compression;

/// <summary>
/// The two zstd libraries rclonepool could use, on the work it does: 4 MiB cut into 256 KiB hash blocks, each compressed
/// (and decompressed) on its own, single thread. ZstdSharp (managed port, what Core uses) is the baseline; ZstdNet calls
/// Debian's libzstd (libzstd1, loaded as libzstd.so.1). Content: log-like text (compresses ~4:1) and random bytes (the
/// incompressible case, where a block ends up stored raw). Run:
/// <c>dotnet run -c Release --project bench/RclonePool.Benchmarks -- --filter '*ZstdLibrary*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class ZstdLibraryBenchmarks : IDisposable
{
    private const int BlockSize = 256 * 1024;
    private const int Blocks = 16;

    private byte[] _plain = [];
    private byte[][] _frames = [];
    private byte[] _scratch = [];
    private byte[] _out = [];
    private ZstdSharp.Compressor _sharp = null!;
    private ZstdSharp.Decompressor _sharpDecompressor = null!;
    private ZstdNet.Compressor _native = null!;
    private ZstdNet.Decompressor _nativeDecompressor = null!;

    static ZstdLibraryBenchmarks()
    {
        // ZstdNet imports "libzstd"; Debian ships only the versioned name outside libzstd-dev.
        NativeLibrary.SetDllImportResolver(typeof(ZstdNet.Compressor).Assembly, (name, _, _) =>
            name.Contains("zstd", StringComparison.Ordinal) && NativeLibrary.TryLoad("libzstd.so.1", out var handle) ? handle : IntPtr.Zero);
    }

    [Params("text", "random")]
    public string Content { get; set; } = "text";

    [Params(1, 3, 9)]
    public int Level { get; set; } = 3;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Content == "text" ? Text(Blocks * BlockSize) : RandomBytes(Blocks * BlockSize);
        _scratch = new byte[ZstdBlocks.Bound(BlockSize)];
        _out = new byte[BlockSize];
        _sharp = new ZstdSharp.Compressor(Level);
        _sharpDecompressor = new ZstdSharp.Decompressor();
        _native = new ZstdNet.Compressor(new ZstdNet.CompressionOptions(Level));
        _nativeDecompressor = new ZstdNet.Decompressor();
        _frames = new byte[Blocks][];
        for (var b = 0; b < Blocks; b++)
        {
            var n = _sharp.Wrap(_plain.AsSpan(b * BlockSize, BlockSize), _scratch);
            _frames[b] = _scratch.AsSpan(0, n).ToArray();
        }
    }

    [Benchmark(Baseline = true, Description = "ZstdSharp compress")]
    public long SharpCompress()
    {
        long total = 0;
        for (var b = 0; b < Blocks; b++)
        {
            total += _sharp.Wrap(_plain.AsSpan(b * BlockSize, BlockSize), _scratch);
        }

        return total;
    }

    [Benchmark(Description = "ZstdNet compress")]
    public long NativeCompress()
    {
        long total = 0;
        for (var b = 0; b < Blocks; b++)
        {
            total += _native.Wrap(_plain.AsSpan(b * BlockSize, BlockSize), _scratch);
        }

        return total;
    }

    [Benchmark(Description = "ZstdSharp decompress")]
    public long SharpDecompress()
    {
        long total = 0;
        foreach (var frame in _frames)
        {
            total += _sharpDecompressor.Unwrap(frame, _out);
        }

        return total;
    }

    [Benchmark(Description = "ZstdNet decompress")]
    public long NativeDecompress()
    {
        long total = 0;
        foreach (var frame in _frames)
        {
            total += _nativeDecompressor.Unwrap(frame, _out);
        }

        return total;
    }

    public void Dispose()
    {
        _sharp?.Dispose();
        _sharpDecompressor?.Dispose();
        _native?.Dispose();
        _nativeDecompressor?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static byte[] Text(int size)
    {
        var random = new Random(1);
        var text = new StringBuilder(size + 200);
        string[] words = ["GET", "PUT", "/api/v1/files", "200", "404", "upload", "chunk", "remote", "ok", "retry"];
        for (var line = 0; text.Length < size; line++)
        {
            text.Append("2026-12-06T10:").Append(line % 60).Append(" worker-").Append(random.Next(8));
            for (var w = 0; w < 6; w++)
            {
                text.Append(' ').Append(words[random.Next(words.Length)]);
            }

            text.Append(' ').Append(random.Next(100_000)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    private static byte[] RandomBytes(int size)
    {
        var data = new byte[size];
        new Random(2).NextBytes(data);
        return data;
    }
}
