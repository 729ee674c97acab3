using RclonePool.Core.Redundancy.Codec.Kernels;

namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// A coefficient matrix (rows x columns, row-major) with the per-coefficient lookup tables its kernel needs,
/// laid out column by column so one input's tables for consecutive output rows sit side by side. The
/// tables live in a pinned, 64-byte aligned block that stays put for the life of this object.
/// </summary>
internal sealed unsafe class CoefficientTables
{
    private readonly byte[] _storage;

    private CoefficientTables(ReedSolomonKernel kernel, byte[] coefficients, int rows, int columns)
    {
        Kernel = kernel;
        Coefficients = coefficients;
        Rows = rows;
        Columns = columns;
        TableBytes = StripeMultiplier.TableBytes(kernel);
        _storage = GC.AllocateUninitializedArray<byte>((rows * columns * TableBytes) + 64, pinned: true);
        fixed (byte* start = _storage)
        {
            Base = (byte*)(((nint)start + 63) & ~(nint)63);
        }

        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                var table = new Span<byte>(Base + ((((c * rows) + r) * TableBytes)), TableBytes);
                WriteTable(kernel, coefficients[(r * columns) + c], table);
            }
        }
    }

    public ReedSolomonKernel Kernel { get; }

    /// <summary>The matrix, row-major.</summary>
    public byte[] Coefficients { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Bytes of table per coefficient (0 for the scalar kernel, which uses the shared product table).</summary>
    public int TableBytes { get; }

    /// <summary>The table of (row 0, column 0); (r, c) is at <c>Base + (c * Rows + r) * TableBytes</c>.</summary>
    public byte* Base { get; }

    public static CoefficientTables Create(ReedSolomonKernel kernel, byte[] coefficients, int rows, int columns) =>
        new(kernel, coefficients, rows, columns);

    /// <summary>Keeps the pinned block reachable until the caller's last use of <see cref="Base"/>.</summary>
    public void KeepAlive() => GC.KeepAlive(_storage);

    private static void WriteTable(ReedSolomonKernel kernel, byte coefficient, Span<byte> table)
    {
        switch (kernel)
        {
            case ReedSolomonKernel.Gfni512:
                Gfni512Kernel.WriteTable(coefficient, table);
                break;
            case ReedSolomonKernel.Gfni256:
                Gfni256Kernel.WriteTable(coefficient, table);
                break;
            case ReedSolomonKernel.Avx512:
                Avx512Kernel.WriteTable(coefficient, table);
                break;
            case ReedSolomonKernel.Avx2:
                Avx2Kernel.WriteTable(coefficient, table);
                break;
            case ReedSolomonKernel.Ssse3:
                Ssse3Kernel.WriteTable(coefficient, table);
                break;
            case ReedSolomonKernel.Vector128:
                Vector128Kernel.WriteTable(coefficient, table);
                break;
            default:
                break;
        }
    }
}
