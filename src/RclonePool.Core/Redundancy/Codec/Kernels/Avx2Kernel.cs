using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// AVX2 nibble tables: c·x = T_low[x &amp; 15] ^ T_high[x &gt;&gt; 4], each lookup one VPSHUFB. A step is two
/// 32-byte vectors, so each table is loaded once for 64 bytes. The 16-byte tables are stored twice so each
/// 128-bit lane has its copy.
/// </summary>
internal readonly unsafe struct Avx2Kernel : IGfKernel<Avx2Kernel.Block, Avx2Kernel.Nibbles>
{
    public static bool IsSupported => Avx2.IsSupported;

    public static int VectorBytes => 64;

    public static bool PairInputs => Avx512F.VL.IsSupported;

    public static int TableBytes => 64;

    public static void WriteTable(byte coefficient, Span<byte> destination)
    {
        GaloisField.NibbleTables(coefficient, destination[..16], destination.Slice(32, 16));
        destination[..16].CopyTo(destination[16..]);
        destination.Slice(32, 16).CopyTo(destination[48..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Nibbles Load(byte* source)
    {
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<byte> a = Vector256.Load(source);
        Vector256<byte> b = Vector256.Load(source + 32);
        return new Nibbles
        {
            LowA = a & mask,
            HighA = Avx2.ShiftRightLogical(a.AsUInt16(), 4).AsByte() & mask,
            LowB = b & mask,
            HighB = Avx2.ShiftRightLogical(b.AsUInt16(), 4).AsByte() & mask,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Block Multiply(Nibbles input, byte* table)
    {
        Vector256<byte> low = Vector256.Load(table);
        Vector256<byte> high = Vector256.Load(table + 32);
        return new Block
        {
            A = Avx2.Shuffle(low, input.LowA) ^ Avx2.Shuffle(high, input.HighA),
            B = Avx2.Shuffle(low, input.LowB) ^ Avx2.Shuffle(high, input.HighB),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Block MultiplyAdd(Block accumulator, Nibbles input, byte* table)
    {
        Vector256<byte> low = Vector256.Load(table);
        Vector256<byte> high = Vector256.Load(table + 32);
        return new Block
        {
            A = accumulator.A ^ Avx2.Shuffle(low, input.LowA) ^ Avx2.Shuffle(high, input.HighA),
            B = accumulator.B ^ Avx2.Shuffle(low, input.LowB) ^ Avx2.Shuffle(high, input.HighB),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Block MultiplyAdd(Block accumulator, Nibbles first, byte* firstTable, Nibbles second, byte* secondTable) =>
        MultiplyAdd(MultiplyAdd(accumulator, first, firstTable), second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Block value)
    {
        value.A.Store(destination);
        value.B.Store(destination + 32);
    }

    /// <summary>64 bytes as two AVX2 vectors.</summary>
    internal struct Block
    {
        public Vector256<byte> A;
        public Vector256<byte> B;
    }

    /// <summary>The nibbles of two AVX2 vectors.</summary>
    internal struct Nibbles
    {
        public Vector256<byte> LowA;
        public Vector256<byte> HighA;
        public Vector256<byte> LowB;
        public Vector256<byte> HighB;
    }
}
