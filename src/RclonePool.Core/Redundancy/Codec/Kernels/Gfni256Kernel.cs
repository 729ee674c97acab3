using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>GFNI on 256-bit vectors: one VGF2P8AFFINEQB multiplies 32 bytes by the constant's 8x8 bit matrix.</summary>
internal readonly unsafe struct Gfni256Kernel : IGfKernel<Vector256<byte>, Vector256<byte>>
{
    public static bool IsSupported => Gfni.V256.IsSupported;

    public static int VectorBytes => 32;

    public static bool PairInputs => Avx512F.VL.IsSupported;

    public static int MaxRowsPerPass => 8;

    public static int TableBytes => 32;

    public static void WriteTable(byte coefficient, Span<byte> destination)
    {
        ulong matrix = GaloisField.AffineMatrix(coefficient);
        for (int i = 0; i < 32; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], matrix);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Load(byte* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Multiply(Vector256<byte> input, byte* table) =>
        Gfni.V256.GaloisFieldAffineTransform(input, Vector256.Load(table), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> MultiplyAdd(Vector256<byte> accumulator, Vector256<byte> input, byte* table) =>
        accumulator ^ Multiply(input, table);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> MultiplyAdd(
        Vector256<byte> accumulator, Vector256<byte> first, byte* firstTable, Vector256<byte> second, byte* secondTable) =>
        accumulator ^ Multiply(first, firstTable) ^ Multiply(second, secondTable);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(byte* destination, Vector256<byte> value) => value.Store(destination);
}
