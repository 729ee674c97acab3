using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// AVX-512BW nibble tables: c·x = T_low[x &amp; 15] ^ T_high[x &gt;&gt; 4], each lookup one VPSHUFB over 64 bytes.
/// For AVX-512 CPUs without GFNI (Skylake-SP, Cascade Lake). The 16-byte tables are stored four times,
/// one copy per 128-bit lane.
/// </summary>
internal readonly unsafe struct Avx512Kernel : IGfKernel<Vector512<byte>, NibblePair<Vector512<byte>>>
{
    public static bool IsSupported => Avx512BW.IsSupported;

    public static int VectorBytes => 64;

    public static bool PairInputs => true;

    public static int MaxRowsPerPass => 8;

    public static int TableBytes => 128;

    public static void WriteTable(byte coefficient, Span<byte> destination)
    {
        GaloisField.NibbleTables(coefficient, destination[..16], destination.Slice(64, 16));
        for (int lane = 16; lane < 64; lane += 16)
        {
            destination[..16].CopyTo(destination[lane..]);
            destination.Slice(64, 16).CopyTo(destination[(64 + lane)..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NibblePair<Vector512<byte>> Load(byte* source)
    {
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        Vector512<byte> x = Vector512.Load(source);
        return new(x & mask, Avx512BW.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Multiply(NibblePair<Vector512<byte>> input, byte* table) =>
        Avx512BW.Shuffle(Vector512.Load(table), input.Low) ^ Avx512BW.Shuffle(Vector512.Load(table + 64), input.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> MultiplyAdd(Vector512<byte> accumulator, NibblePair<Vector512<byte>> input, byte* table) =>
        accumulator ^ Avx512BW.Shuffle(Vector512.Load(table), input.Low) ^ Avx512BW.Shuffle(Vector512.Load(table + 64), input.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> MultiplyAdd(
        Vector512<byte> accumulator,
        NibblePair<Vector512<byte>> first,
        byte* firstTable,
        NibblePair<Vector512<byte>> second,
        byte* secondTable) =>
        MultiplyAdd(MultiplyAdd(accumulator, first, firstTable), second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Vector512<byte> value) => value.Store(destination);
}
