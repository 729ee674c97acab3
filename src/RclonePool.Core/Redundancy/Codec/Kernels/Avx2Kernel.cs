using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// AVX2 nibble tables: c·x = T_low[x &amp; 15] ^ T_high[x &gt;&gt; 4], each lookup one VPSHUFB over 32 bytes.
/// The 16-byte tables are stored twice so each 128-bit lane has its copy.
/// </summary>
internal readonly unsafe struct Avx2Kernel : IGfKernel<Vector256<byte>, NibblePair<Vector256<byte>>>
{
    public static bool IsSupported => Avx2.IsSupported;

    public static int VectorBytes => 32;

    public static bool PairInputs => Avx512F.VL.IsSupported;

    public static int MaxRowsPerPass => 8;

    public static int TableBytes => 64;

    public static void WriteTable(byte coefficient, Span<byte> destination)
    {
        GaloisField.NibbleTables(coefficient, destination[..16], destination.Slice(32, 16));
        destination[..16].CopyTo(destination[16..]);
        destination.Slice(32, 16).CopyTo(destination[48..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NibblePair<Vector256<byte>> Load(byte* source)
    {
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<byte> x = Vector256.Load(source);
        return new(x & mask, Avx2.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Multiply(NibblePair<Vector256<byte>> input, byte* table) =>
        Avx2.Shuffle(Vector256.Load(table), input.Low) ^ Avx2.Shuffle(Vector256.Load(table + 32), input.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> MultiplyAdd(Vector256<byte> accumulator, NibblePair<Vector256<byte>> input, byte* table) =>
        accumulator ^ Avx2.Shuffle(Vector256.Load(table), input.Low) ^ Avx2.Shuffle(Vector256.Load(table + 32), input.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> MultiplyAdd(
        Vector256<byte> accumulator,
        NibblePair<Vector256<byte>> first,
        byte* firstTable,
        NibblePair<Vector256<byte>> second,
        byte* secondTable) =>
        MultiplyAdd(MultiplyAdd(accumulator, first, firstTable), second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Vector256<byte> value) => value.Store(destination);
}
