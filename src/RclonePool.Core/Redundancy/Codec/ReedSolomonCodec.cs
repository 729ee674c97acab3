using System.Collections.Concurrent;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// A systematic Reed-Solomon erasure code over GF(2^8): <see cref="DataShards"/> data shards are stored as they
/// are and <see cref="ParityShards"/> parity shards are computed from them, so that any
/// <see cref="DataShards"/> of the <see cref="TotalShards"/> shards rebuild all the others. All shards of a
/// stripe have the same length, which may be any number of bytes.
/// </summary>
/// <remarks>
/// The parity rows form a Cauchy matrix. Decode matrices are cached per erasure pattern. Instances are
/// immutable apart from that cache and safe to share between threads; encode and reconstruct allocate
/// nothing once a pattern has been seen. Output buffers must not overlap inputs.
/// </remarks>
public sealed partial class ReedSolomonCodec
{
    /// <summary>The most shards a stripe can have: the size of GF(2^8).</summary>
    public const int MaxTotalShards = 256;

    private readonly byte[] _parityMatrix;
    private readonly CoefficientTables _encodeTables;
    private readonly ConcurrentDictionary<ErasureKey, DecodePlan> _plans = new();

    /// <summary>Creates a codec that uses the fastest kernel this CPU supports, or the one <c>RCLONEPOOL_RS_KERNEL</c> names.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one data or parity shard, or more than 256 shards in all.</exception>
    /// <exception cref="PoolException"><c>RCLONEPOOL_RS_KERNEL</c> names an unknown kernel or one this CPU cannot run.</exception>
    public ReedSolomonCodec(int dataShards, int parityShards)
        : this(dataShards, parityShards, KernelSelection.Default)
    {
    }

    /// <summary>Creates a codec on a given kernel; tests and benchmarks use it to compare paths in one process.</summary>
    internal ReedSolomonCodec(int dataShards, int parityShards, ReedSolomonKernel kernel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dataShards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parityShards, 1);
        if (dataShards + parityShards > MaxTotalShards)
        {
            throw new ArgumentOutOfRangeException(
                nameof(parityShards),
                $"A Reed-Solomon stripe over GF(2^8) has at most {MaxTotalShards} shards; {dataShards}+{parityShards} is {dataShards + parityShards}.");
        }

        KernelSelection.EnsureSupported(kernel);
        DataShards = dataShards;
        ParityShards = parityShards;
        Kernel = kernel;
        _parityMatrix = GaloisMatrix.CauchyParity(dataShards, parityShards);
        _encodeTables = CoefficientTables.Create(kernel, _parityMatrix, parityShards, dataShards);
    }

    /// <summary>The kernel a codec made with the public constructor uses on this machine.</summary>
    public static ReedSolomonKernel DefaultKernel => KernelSelection.Default;

    public int DataShards { get; }

    public int ParityShards { get; }

    public int TotalShards => DataShards + ParityShards;

    /// <summary>The instruction-set path this codec runs.</summary>
    public ReedSolomonKernel Kernel { get; }

    /// <summary>Computes the parity shards of one stripe.</summary>
    /// <param name="data">The <see cref="DataShards"/> data shards, all of one length.</param>
    /// <param name="parity">The <see cref="ParityShards"/> buffers to overwrite with parity, of the same length.</param>
    /// <exception cref="ArgumentException">Wrong shard counts or unequal lengths.</exception>
    public unsafe void Encode(ReadOnlySpan<ReadOnlyMemory<byte>> data, ReadOnlySpan<Memory<byte>> parity)
    {
        if (data.Length != DataShards)
        {
            throw new ArgumentException($"Reed-Solomon {this} expects {DataShards} data shards, got {data.Length}.", nameof(data));
        }

        if (parity.Length != ParityShards)
        {
            throw new ArgumentException($"Reed-Solomon {this} expects {ParityShards} parity shards, got {parity.Length}.", nameof(parity));
        }

        int length = data[0].Length;
        for (int i = 1; i < data.Length; i++)
        {
            RequireLength(data[i].Length, length, i, nameof(data));
        }

        for (int i = 0; i < parity.Length; i++)
        {
            RequireLength(parity[i].Length, length, DataShards + i, nameof(parity));
        }

        if (length == 0)
        {
            return;
        }

        byte** pointers = stackalloc byte*[TotalShards];
        PinThenMultiply(data, parity, 0, pointers, new Work(_encodeTables, null, length));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{DataShards}+{ParityShards}";

    /// <param name="shard">The shard's place in the stripe: data shards first, then parity.</param>
    private void RequireLength(int actual, int expected, int shard, string parameter)
    {
        if (actual != expected)
        {
            string name = shard < DataShards ? $"data shard {shard}" : $"parity shard {shard - DataShards}";
            throw new ArgumentException(
                $"All shards of a Reed-Solomon {this} stripe must have the same length: data shard 0 has {expected} bytes but {name} has {actual}.",
                parameter);
        }
    }

    /// <summary>
    /// Pins shard <paramref name="index"/> with a <c>fixed</c> statement and recurses to the next, so all
    /// shards stay pinned for the multiply without allocating GC handles.
    /// </summary>
    private static unsafe void PinThenMultiply(
        ReadOnlySpan<ReadOnlyMemory<byte>> readOnly, ReadOnlySpan<Memory<byte>> writable, int index, byte** pointers, in Work work)
    {
        if (index == readOnly.Length + writable.Length)
        {
            work.Run(pointers);
            return;
        }

        ReadOnlySpan<byte> span = index < readOnly.Length ? readOnly[index].Span : writable[index - readOnly.Length].Span;
        fixed (byte* p = span)
        {
            pointers[index] = p;
            PinThenMultiply(readOnly, writable, index + 1, pointers, work);
        }
    }

    /// <summary>One multiply over pinned shards: encode when <see cref="Plan"/> is null, else a decode plan.</summary>
    private readonly unsafe struct Work(CoefficientTables tables, DecodePlan? plan, int length)
    {
        public CoefficientTables Tables { get; } = tables;

        public DecodePlan? Plan { get; } = plan;

        public int Length { get; } = length;

        public void Run(byte** shards)
        {
            if (Plan is null)
            {
                StripeMultiplier.Multiply(Tables, shards, shards + Tables.Columns, Length);
                return;
            }

            int[] inputIndices = Plan.Inputs;
            int[] outputIndices = Plan.Outputs;
            byte** inputs = stackalloc byte*[inputIndices.Length];
            byte** outputs = stackalloc byte*[outputIndices.Length];
            for (int i = 0; i < inputIndices.Length; i++)
            {
                inputs[i] = shards[inputIndices[i]];
            }

            for (int i = 0; i < outputIndices.Length; i++)
            {
                outputs[i] = shards[outputIndices[i]];
            }

            StripeMultiplier.Multiply(Tables, inputs, outputs, Length);
        }
    }
}
