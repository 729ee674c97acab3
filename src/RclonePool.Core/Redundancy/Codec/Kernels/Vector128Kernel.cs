using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// Portable 128-bit nibble tables through <see cref="Vector128.ShuffleNative(Vector128{byte}, Vector128{byte})"/>:
/// TBL on Arm64, PSHUFB on x86. Indices are always 0..15, where every platform's native shuffle agrees.
/// </summary>
internal readonly unsafe struct Vector128Kernel : IGfKernel<Vector128<byte>, NibblePair<Vector128<byte>>>
{
    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    public static int VectorBytes => 16;

    public static bool PairInputs => false;

    public static int MaxRowsPerPass => 8;

    public static int TableBytes => 32;

    public static void WriteTable(byte coefficient, Span<byte> destination) =>
        GaloisField.NibbleTables(coefficient, destination[..16], destination.Slice(16, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NibblePair<Vector128<byte>> Load(byte* source)
    {
        Vector128<byte> x = Vector128.Load(source);
        return new(x & Vector128.Create((byte)0x0F), Vector128.ShiftRightLogical(x, 4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Multiply(NibblePair<Vector128<byte>> input, byte* table) =>
        Vector128.ShuffleNative(Vector128.Load(table), input.Low) ^
        Vector128.ShuffleNative(Vector128.Load(table + 16), input.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> MultiplyAdd(Vector128<byte> accumulator, NibblePair<Vector128<byte>> input, byte* table) =>
        accumulator ^ Vector128.ShuffleNative(Vector128.Load(table), input.Low) ^
        Vector128.ShuffleNative(Vector128.Load(table + 16), input.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> MultiplyAdd(
        Vector128<byte> accumulator,
        NibblePair<Vector128<byte>> first,
        byte* firstTable,
        NibblePair<Vector128<byte>> second,
        byte* secondTable) =>
        MultiplyAdd(MultiplyAdd(accumulator, first, firstTable), second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Vector128<byte> value) => value.Store(destination);
}
