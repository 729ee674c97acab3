using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>SSSE3 nibble tables: c·x = T_low[x &amp; 15] ^ T_high[x &gt;&gt; 4], each lookup one PSHUFB over 16 bytes.</summary>
internal readonly unsafe struct Ssse3Kernel : IGfKernel<Vector128<byte>, NibblePair<Vector128<byte>>>
{
    public static bool IsSupported => Ssse3.IsSupported;

    public static int VectorBytes => 16;

    public static bool PairInputs => false;

    public static int MaxRowsPerPass => 8;

    public static int TableBytes => 32;

    public static void WriteTable(byte coefficient, Span<byte> destination) =>
        GaloisField.NibbleTables(coefficient, destination[..16], destination.Slice(16, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NibblePair<Vector128<byte>> Load(byte* source)
    {
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        Vector128<byte> x = Sse2.LoadVector128(source);
        return new(Sse2.And(x, mask), Sse2.And(Sse2.ShiftRightLogical(x.AsUInt16(), 4).AsByte(), mask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Multiply(NibblePair<Vector128<byte>> input, byte* table) =>
        Sse2.Xor(
            Ssse3.Shuffle(Sse2.LoadVector128(table), input.Low),
            Ssse3.Shuffle(Sse2.LoadVector128(table + 16), input.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> MultiplyAdd(Vector128<byte> accumulator, NibblePair<Vector128<byte>> input, byte* table) =>
        Sse2.Xor(accumulator, Multiply(input, table));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> MultiplyAdd(
        Vector128<byte> accumulator,
        NibblePair<Vector128<byte>> first,
        byte* firstTable,
        NibblePair<Vector128<byte>> second,
        byte* secondTable) =>
        MultiplyAdd(MultiplyAdd(accumulator, first, firstTable), second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Vector128<byte> value) => Sse2.Store(destination, value);
}
