namespace RclonePool.Core.Redundancy.Codec;

/// <summary>Dense row-major matrices over GF(2^8): the encoding matrix and the inverses used to decode.</summary>
internal static class GaloisMatrix
{
    /// <summary>
    /// The parity rows of a systematic Cauchy code: row i, column j is 1 / ((k + i) XOR j). Every square
    /// submatrix of a Cauchy matrix is invertible, so the generator [I; C] rebuilds from any k of its rows.
    /// </summary>
    public static byte[] CauchyParity(int dataShards, int parityShards)
    {
        var matrix = new byte[parityShards * dataShards];
        for (int i = 0; i < parityShards; i++)
        {
            for (int j = 0; j < dataShards; j++)
            {
                matrix[(i * dataShards) + j] = GaloisField.Inverse((byte)((dataShards + i) ^ j));
            }
        }

        return matrix;
    }

    /// <summary>The inverse of the n x n matrix, by Gauss-Jordan elimination.</summary>
    /// <exception cref="InvalidOperationException">The matrix is singular.</exception>
    public static byte[] Invert(ReadOnlySpan<byte> matrix, int n)
    {
        if (matrix.Length != n * n)
        {
            throw new ArgumentException($"Expected a {n}x{n} matrix.", nameof(matrix));
        }

        int width = 2 * n;
        var work = new byte[n * width];
        for (int r = 0; r < n; r++)
        {
            matrix.Slice(r * n, n).CopyTo(work.AsSpan(r * width));
            work[(r * width) + n + r] = 1;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            while (pivot < n && work[(pivot * width) + col] == 0)
            {
                pivot++;
            }

            if (pivot == n)
            {
                throw new InvalidOperationException("The matrix is singular.");
            }

            if (pivot != col)
            {
                Span<byte> a = work.AsSpan(pivot * width, width);
                Span<byte> b = work.AsSpan(col * width, width);
                for (int i = 0; i < width; i++)
                {
                    (a[i], b[i]) = (b[i], a[i]);
                }
            }

            Span<byte> pivotRow = work.AsSpan(col * width, width);
            byte scale = GaloisField.Inverse(pivotRow[col]);
            for (int i = 0; i < width; i++)
            {
                pivotRow[i] = GaloisField.Multiply(pivotRow[i], scale);
            }

            for (int r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                Span<byte> row = work.AsSpan(r * width, width);
                byte factor = row[col];
                if (factor == 0)
                {
                    continue;
                }

                for (int i = 0; i < width; i++)
                {
                    row[i] ^= GaloisField.Multiply(factor, pivotRow[i]);
                }
            }
        }

        var inverse = new byte[n * n];
        for (int r = 0; r < n; r++)
        {
            work.AsSpan((r * width) + n, n).CopyTo(inverse.AsSpan(r * n));
        }

        return inverse;
    }

    /// <summary>The product of a (rows x inner) and b (inner x columns).</summary>
    public static byte[] Multiply(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int rows, int inner, int columns)
    {
        var product = new byte[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                byte sum = 0;
                for (int i = 0; i < inner; i++)
                {
                    sum ^= GaloisField.Multiply(a[(r * inner) + i], b[(i * columns) + c]);
                }

                product[(r * columns) + c] = sum;
            }
        }

        return product;
    }
}
