using BenchmarkDotNet.Attributes;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Benchmarks.Codec;

/// <summary>
/// Encode and reconstruct (the first m data shards lost) per kernel, shape and shard size, single thread.
/// The <c>Data GB/s</c> column is k x shard size / mean time. Run:
/// <c>dotnet run -c Release --project bench/RclonePool.Benchmarks -- --filter '*ReedSolomon*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CodecBenchmarkConfig))]
public class ReedSolomonBenchmarks : IDisposable
{
    private ReedSolomonCodec _codec = null!;
    private ShardBuffers _buffers = null!;
    private ReadOnlyMemory<byte>[] _data = [];
    private Memory<byte>[] _parity = [];
    private bool[] _present = [];

    [Params("3+1", "4+2", "6+3", "10+4")]
    public string Shape { get; set; } = "10+4";

    [Params(64 * 1024, 1024 * 1024)]
    public int ShardBytes { get; set; } = 1024 * 1024;

    [ParamsSource(nameof(Kernels))]
    public ReedSolomonKernel Kernel { get; set; }

    public static IEnumerable<ReedSolomonKernel> Kernels => KernelSelection.Supported;

    [GlobalSetup]
    public void Setup()
    {
        CodecCase shape = CodecCase.Parse($"{Shape}:{ShardBytes}");
        _codec = new ReedSolomonCodec(shape.DataShards, shape.ParityShards, Kernel);
        _buffers = new ShardBuffers(_codec.TotalShards, ShardBytes);
        _data = [.. _buffers.Shards[.._codec.DataShards].Select(m => (ReadOnlyMemory<byte>)m)];
        _parity = _buffers.Shards[_codec.DataShards..];
        _present = [.. Enumerable.Range(0, _codec.TotalShards).Select(i => i >= _codec.ParityShards)];
        _codec.Encode(_data, _parity);
        _codec.Reconstruct(_buffers.Shards, _present); // builds and caches the decode plan
    }

    [Benchmark]
    public void Encode() => _codec.Encode(_data, _parity);

    [Benchmark]
    public void Reconstruct() => _codec.Reconstruct(_buffers.Shards, _present);

    [GlobalCleanup]
    public void Dispose()
    {
        _buffers?.Dispose();
        GC.SuppressFinalize(this);
    }
}
