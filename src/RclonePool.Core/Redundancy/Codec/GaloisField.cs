using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2,
/// the field most Reed-Solomon storage codes use. Addition is XOR; multiplication goes through log/exp
/// tables, and a full 256 x 256 product table serves the scalar kernel.
/// </summary>
internal static unsafe class GaloisField
{
    /// <summary>The reducing polynomial, bit 8 included.</summary>
    public const int Polynomial = 0x11D;

    private static readonly byte[] Exp = BuildExp();
    private static readonly byte[] Log = BuildLog(Exp);
    private static readonly byte[] Products = BuildProducts();

    /// <summary>
    /// The full product table, pinned for the life of the process: <c>ProductTable[a * 256 + b] == a * b</c>.
    /// </summary>
    public static byte* ProductTable { get; } = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Products));

    public static byte Add(byte a, byte b) => (byte)(a ^ b);

    public static byte Multiply(byte a, byte b) =>
        a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    public static byte Inverse(byte a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("Zero has no inverse in GF(2^8).");
        }

        return Exp[255 - Log[a]];
    }

    public static byte Divide(byte a, byte b) => Multiply(a, Inverse(b));

    /// <summary>a raised to the power n (n ≥ 0); 0^0 is 1.</summary>
    public static byte Power(byte a, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n == 0)
        {
            return 1;
        }

        return a == 0 ? (byte)0 : Exp[Log[a] * n % 255];
    }

    /// <summary>
    /// The 8x8 bit matrix of "multiply by <paramref name="c"/>" in the layout GF2P8AFFINEQB expects:
    /// byte 7 - i of the result holds the row that produces output bit i.
    /// </summary>
    public static ulong AffineMatrix(byte c)
    {
        ulong matrix = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            int row = 0;
            for (int j = 0; j < 8; j++)
            {
                if (((Multiply(c, (byte)(1 << j)) >> bit) & 1) != 0)
                {
                    row |= 1 << j;
                }
            }

            matrix |= (ulong)row << (8 * (7 - bit));
        }

        return matrix;
    }

    /// <summary>Writes the two PSHUFB lookup tables of <paramref name="c"/>: c·n and c·(n &lt;&lt; 4) for n in 0..15.</summary>
    public static void NibbleTables(byte c, Span<byte> low, Span<byte> high)
    {
        for (int n = 0; n < 16; n++)
        {
            low[n] = Multiply(c, (byte)n);
            high[n] = Multiply(c, (byte)(n << 4));
        }
    }

    private static byte[] BuildExp()
    {
        var exp = new byte[512];
        int x = 1;
        for (int i = 0; i < 255; i++)
        {
            exp[i] = (byte)x;
            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= Polynomial;
            }
        }

        for (int i = 255; i < exp.Length; i++)
        {
            exp[i] = exp[i - 255];
        }

        return exp;
    }

    private static byte[] BuildLog(byte[] exp)
    {
        var log = new byte[256];
        for (int i = 0; i < 255; i++)
        {
            log[exp[i]] = (byte)i;
        }

        return log;
    }

    private static byte[] BuildProducts()
    {
        byte[] table = GC.AllocateUninitializedArray<byte>(256 * 256, pinned: true);
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                table[(a << 8) | b] = Multiply((byte)a, (byte)b);
            }
        }

        return table;
    }
}
