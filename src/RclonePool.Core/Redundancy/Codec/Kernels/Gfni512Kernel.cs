using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>GFNI + AVX-512: one VGF2P8AFFINEQB multiplies 64 bytes by the constant's 8x8 bit matrix.</summary>
internal readonly unsafe struct Gfni512Kernel : IGfKernel<Vector512<byte>, Vector512<byte>>
{
    public static bool IsSupported => Gfni.V512.IsSupported && Avx512BW.IsSupported;

    public static int VectorBytes => 64;

    public static bool PairInputs => Avx512F.VL.IsSupported;

    public static int MaxRowsPerPass => 8;

    public static int TableBytes => 64;

    public static void WriteTable(byte coefficient, Span<byte> destination)
    {
        ulong matrix = GaloisField.AffineMatrix(coefficient);
        for (int i = 0; i < 64; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], matrix);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Load(byte* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Multiply(Vector512<byte> input, byte* table) =>
        Gfni.V512.GaloisFieldAffineTransform(input, Vector512.Load(table), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> MultiplyAdd(Vector512<byte> accumulator, Vector512<byte> input, byte* table) =>
        accumulator ^ Multiply(input, table);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> MultiplyAdd(
        Vector512<byte> accumulator, Vector512<byte> first, byte* firstTable, Vector512<byte> second, byte* secondTable) =>
        accumulator ^ Multiply(first, firstTable) ^ Multiply(second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Vector512<byte> value) => value.Store(destination);
}
