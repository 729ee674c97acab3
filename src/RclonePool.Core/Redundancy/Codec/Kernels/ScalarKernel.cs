namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>The reference path: one lookup in the 64 KiB product table per byte and coefficient.</summary>
internal static unsafe class ScalarKernel
{
    /// <summary>outputs[r][p] = XOR over c of coefficients[r, c] · inputs[c][p], for p in [start, end).</summary>
    public static void Multiply(
        ReadOnlySpan<byte> coefficients, int rows, int columns, byte** inputs, byte** outputs, nint start, nint end)
    {
        byte* products = GaloisField.ProductTable;
        for (int r = 0; r < rows; r++)
        {
            byte* output = outputs[r];
            for (int c = 0; c < columns; c++)
            {
                byte* row = products + (coefficients[(r * columns) + c] << 8);
                byte* input = inputs[c];
                if (c == 0)
                {
                    for (nint p = start; p < end; p++)
                    {
                        output[p] = row[input[p]];
                    }
                }
                else
                {
                    for (nint p = start; p < end; p++)
                    {
                        output[p] ^= row[input[p]];
                    }
                }
            }
        }
    }
}
