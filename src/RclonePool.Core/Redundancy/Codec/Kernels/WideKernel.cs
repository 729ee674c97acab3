using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// Any kernel on two vectors per step: each input pointer, table and loop trip then serves twice the bytes,
/// and the two halves are independent work for the out-of-order core. Uses the base kernel's tables.
/// </summary>
internal readonly unsafe struct WideKernel<TKernel, TVector, TInput> : IGfKernel<VectorPair<TVector>, VectorPair<TInput>>
    where TKernel : IGfKernel<TVector, TInput>
    where TVector : struct
    where TInput : struct
{
    public static int VectorBytes => 2 * TKernel.VectorBytes;

    public static int TableBytes => TKernel.TableBytes;

    public static bool PairInputs => TKernel.PairInputs;

    /// <summary>Twice the accumulators per row: with 16 vector registers, half the rows per pass.</summary>
    public static int MaxRowsPerPass =>
        Avx512F.IsSupported || AdvSimd.Arm64.IsSupported ? TKernel.MaxRowsPerPass : Math.Max(1, TKernel.MaxRowsPerPass / 2);

    public static void WriteTable(byte coefficient, Span<byte> destination) => TKernel.WriteTable(coefficient, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorPair<TInput> Load(byte* source) =>
        new(TKernel.Load(source), TKernel.Load(source + TKernel.VectorBytes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorPair<TVector> Multiply(VectorPair<TInput> input, byte* table) =>
        new(TKernel.Multiply(input.First, table), TKernel.Multiply(input.Second, table));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorPair<TVector> MultiplyAdd(VectorPair<TVector> accumulator, VectorPair<TInput> input, byte* table) =>
        new(TKernel.MultiplyAdd(accumulator.First, input.First, table), TKernel.MultiplyAdd(accumulator.Second, input.Second, table));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorPair<TVector> MultiplyAdd(
        VectorPair<TVector> accumulator, VectorPair<TInput> first, byte* firstTable, VectorPair<TInput> second, byte* secondTable) =>
        new(
            TKernel.MultiplyAdd(accumulator.First, first.First, firstTable, second.First, secondTable),
            TKernel.MultiplyAdd(accumulator.Second, first.Second, firstTable, second.Second, secondTable));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, VectorPair<TVector> value)
    {
        TKernel.Store(destination, value.First);
        TKernel.Store(destination + TKernel.VectorBytes, value.Second);
    }
}
