using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RclonePool.Core.Redundancy.Codec.Kernels;

namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// Computes outputs = matrix x inputs over equal-length shards: the one operation behind encode and
/// reconstruct. Each vector of every input is loaded once and multiplied into one register accumulator per
/// output row, up to the kernel's <c>MaxRowsPerPass</c>; more rows than that are done in passes over
/// cache-sized slices (4-64 KiB per input), so the later passes read the inputs from cache. Every SIMD
/// kernel runs two vectors per step (<see cref="WideKernel{TKernel, TVector, TInput}"/>), then one vector
/// per step over what is left, and the last bytes go through the scalar kernel.
/// </summary>
internal static unsafe class StripeMultiplier
{
    private const int SliceBudgetBytes = 512 * 1024;

    public static int TableBytes(ReedSolomonKernel kernel) => kernel switch
    {
        ReedSolomonKernel.Gfni512 => Gfni512Kernel.TableBytes,
        ReedSolomonKernel.Gfni256 => Gfni256Kernel.TableBytes,
        ReedSolomonKernel.Avx512 => Avx512Kernel.TableBytes,
        ReedSolomonKernel.Avx2 => Avx2Kernel.TableBytes,
        ReedSolomonKernel.Ssse3 => Ssse3Kernel.TableBytes,
        ReedSolomonKernel.Vector128 => Vector128Kernel.TableBytes,
        _ => 0,
    };

    /// <summary>outputs[r] = XOR over c of M[r, c] · inputs[c], each shard <paramref name="length"/> bytes.</summary>
    public static void Multiply(CoefficientTables tables, byte** inputs, byte** outputs, nint length)
    {
        nint done = tables.Kernel switch
        {
            ReedSolomonKernel.Gfni512 => MultiplyWideThenNarrow<Gfni512Kernel, Vector512<byte>, Vector512<byte>>(tables, inputs, outputs, length),
            ReedSolomonKernel.Gfni256 => MultiplyWideThenNarrow<Gfni256Kernel, Vector256<byte>, Vector256<byte>>(tables, inputs, outputs, length),
            ReedSolomonKernel.Avx512 => MultiplyWideThenNarrow<Avx512Kernel, Vector512<byte>, NibblePair<Vector512<byte>>>(tables, inputs, outputs, length),
            ReedSolomonKernel.Avx2 => MultiplyWideThenNarrow<Avx2Kernel, Vector256<byte>, NibblePair<Vector256<byte>>>(tables, inputs, outputs, length),
            ReedSolomonKernel.Ssse3 => MultiplyWideThenNarrow<Ssse3Kernel, Vector128<byte>, NibblePair<Vector128<byte>>>(tables, inputs, outputs, length),
            ReedSolomonKernel.Vector128 => MultiplyWideThenNarrow<Vector128Kernel, Vector128<byte>, NibblePair<Vector128<byte>>>(tables, inputs, outputs, length),
            _ => 0,
        };

        if (done < length)
        {
            MultiplyScalar(tables, inputs, outputs, done, length);
        }

        tables.KeepAlive();
    }

    private static nint SliceBytes(int inputs) =>
        Math.Clamp(SliceBudgetBytes / Math.Max(inputs, 1), 4096, 64 * 1024) & ~(nint)63;

    private static void MultiplyScalar(CoefficientTables tables, byte** inputs, byte** outputs, nint start, nint length)
    {
        nint slice = SliceBytes(tables.Columns);
        for (; start < length; start += slice)
        {
            nint end = Math.Min(start + slice, length);
            ScalarKernel.Multiply(tables.Coefficients, tables.Rows, tables.Columns, inputs, outputs, start, end);
        }
    }

    /// <summary>Two vectors per step over as much as fits, then one vector per step; returns the bytes done.</summary>
    private static nint MultiplyWideThenNarrow<TKernel, TVector, TInput>(
        CoefficientTables tables, byte** inputs, byte** outputs, nint length)
        where TKernel : IGfKernel<TVector, TInput>
        where TVector : struct
        where TInput : struct
    {
        nint done = MultiplyVectors<WideKernel<TKernel, TVector, TInput>, VectorPair<TVector>, VectorPair<TInput>>(
            tables, inputs, outputs, 0, length);
        return MultiplyVectors<TKernel, TVector, TInput>(tables, inputs, outputs, done, length);
    }

    /// <summary>Runs the kernel over the whole steps in [start, length); returns where they end.</summary>
    private static nint MultiplyVectors<TKernel, TVector, TInput>(
        CoefficientTables tables, byte** inputs, byte** outputs, nint start, nint length)
        where TKernel : IGfKernel<TVector, TInput>
        where TVector : struct
        where TInput : struct
    {
        nint end = start + ((length - start) / TKernel.VectorBytes * TKernel.VectorBytes);
        if (end == start)
        {
            return start;
        }

        int rows = tables.Rows;
        int columns = tables.Columns;
        nint columnStride = (nint)rows * TKernel.TableBytes;
        int passes = (rows + TKernel.MaxRowsPerPass - 1) / TKernel.MaxRowsPerPass;
        if (passes == 1)
        {
            MultiplyRows<TKernel, TVector, TInput>(rows, inputs, columns, outputs, tables.Base, columnStride, start, end);
            return end;
        }

        int perPass = (rows + passes - 1) / passes;
        nint slice = SliceBytes(columns) / TKernel.VectorBytes * TKernel.VectorBytes;
        for (nint from = start; from < end; from += slice)
        {
            nint to = Math.Min(from + slice, end);
            for (int first = 0; first < rows; first += perPass)
            {
                int count = Math.Min(perPass, rows - first);
                byte* firstTable = tables.Base + ((nint)first * TKernel.TableBytes);
                MultiplyRows<TKernel, TVector, TInput>(count, inputs, columns, outputs + first, firstTable, columnStride, from, to);
            }
        }

        return end;
    }

    private static void MultiplyRows<TKernel, TVector, TInput>(
        int rows, byte** inputs, int inputCount, byte** outputs, byte* tables, nint columnStride, nint start, nint end)
        where TKernel : IGfKernel<TVector, TInput>
        where TVector : struct
        where TInput : struct
    {
        switch (rows)
        {
            case 1:
                MultiplyRows<TKernel, TVector, TInput, Rows1>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            case 2:
                MultiplyRows<TKernel, TVector, TInput, Rows2>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            case 3:
                MultiplyRows<TKernel, TVector, TInput, Rows3>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            case 4:
                MultiplyRows<TKernel, TVector, TInput, Rows4>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            case 5:
                MultiplyRows<TKernel, TVector, TInput, Rows5>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            case 6:
                MultiplyRows<TKernel, TVector, TInput, Rows6>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            case 7:
                MultiplyRows<TKernel, TVector, TInput, Rows7>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
            default:
                MultiplyRows<TKernel, TVector, TInput, Rows8>(inputs, inputCount, outputs, tables, columnStride, start, end);
                break;
        }
    }

    /// <summary>
    /// The hot loop. <typeparamref name="TRows"/> is a JIT-time constant, so the unused accumulators and their
    /// branches vanish and the rest stay in registers across the walk over the inputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRows<TKernel, TVector, TInput, TRows>(
        byte** inputs, int inputCount, byte** outputs, byte* tables, nint columnStride, nint start, nint end)
        where TKernel : IGfKernel<TVector, TInput>
        where TVector : struct
        where TInput : struct
        where TRows : struct, IRowCount
    {
        nint step = TKernel.TableBytes;
        for (nint p = start; p < end; p += TKernel.VectorBytes)
        {
            byte* t = tables;
            TInput x = TKernel.Load(inputs[0] + p);
            TVector a0 = TKernel.Multiply(x, t);
            TVector a1 = TRows.Value > 1 ? TKernel.Multiply(x, t + step) : default;
            TVector a2 = TRows.Value > 2 ? TKernel.Multiply(x, t + (2 * step)) : default;
            TVector a3 = TRows.Value > 3 ? TKernel.Multiply(x, t + (3 * step)) : default;
            TVector a4 = TRows.Value > 4 ? TKernel.Multiply(x, t + (4 * step)) : default;
            TVector a5 = TRows.Value > 5 ? TKernel.Multiply(x, t + (5 * step)) : default;
            TVector a6 = TRows.Value > 6 ? TKernel.Multiply(x, t + (6 * step)) : default;
            TVector a7 = TRows.Value > 7 ? TKernel.Multiply(x, t + (7 * step)) : default;
            int c = 1;
            for (; TKernel.PairInputs && c + 1 < inputCount; c += 2)
            {
                byte* u = t + columnStride;
                t = u + columnStride;
                x = TKernel.Load(inputs[c] + p);
                TInput y = TKernel.Load(inputs[c + 1] + p);
                a0 = TKernel.MultiplyAdd(a0, x, u, y, t);
                if (TRows.Value > 1)
                {
                    a1 = TKernel.MultiplyAdd(a1, x, u + step, y, t + step);
                }

                if (TRows.Value > 2)
                {
                    a2 = TKernel.MultiplyAdd(a2, x, u + (2 * step), y, t + (2 * step));
                }

                if (TRows.Value > 3)
                {
                    a3 = TKernel.MultiplyAdd(a3, x, u + (3 * step), y, t + (3 * step));
                }

                if (TRows.Value > 4)
                {
                    a4 = TKernel.MultiplyAdd(a4, x, u + (4 * step), y, t + (4 * step));
                }

                if (TRows.Value > 5)
                {
                    a5 = TKernel.MultiplyAdd(a5, x, u + (5 * step), y, t + (5 * step));
                }

                if (TRows.Value > 6)
                {
                    a6 = TKernel.MultiplyAdd(a6, x, u + (6 * step), y, t + (6 * step));
                }

                if (TRows.Value > 7)
                {
                    a7 = TKernel.MultiplyAdd(a7, x, u + (7 * step), y, t + (7 * step));
                }
            }

            for (; c < inputCount; c++)
            {
                t += columnStride;
                x = TKernel.Load(inputs[c] + p);
                a0 = TKernel.MultiplyAdd(a0, x, t);
                if (TRows.Value > 1)
                {
                    a1 = TKernel.MultiplyAdd(a1, x, t + step);
                }

                if (TRows.Value > 2)
                {
                    a2 = TKernel.MultiplyAdd(a2, x, t + (2 * step));
                }

                if (TRows.Value > 3)
                {
                    a3 = TKernel.MultiplyAdd(a3, x, t + (3 * step));
                }

                if (TRows.Value > 4)
                {
                    a4 = TKernel.MultiplyAdd(a4, x, t + (4 * step));
                }

                if (TRows.Value > 5)
                {
                    a5 = TKernel.MultiplyAdd(a5, x, t + (5 * step));
                }

                if (TRows.Value > 6)
                {
                    a6 = TKernel.MultiplyAdd(a6, x, t + (6 * step));
                }

                if (TRows.Value > 7)
                {
                    a7 = TKernel.MultiplyAdd(a7, x, t + (7 * step));
                }
            }

            TKernel.Store(outputs[0] + p, a0);
            if (TRows.Value > 1)
            {
                TKernel.Store(outputs[1] + p, a1);
            }

            if (TRows.Value > 2)
            {
                TKernel.Store(outputs[2] + p, a2);
            }

            if (TRows.Value > 3)
            {
                TKernel.Store(outputs[3] + p, a3);
            }

            if (TRows.Value > 4)
            {
                TKernel.Store(outputs[4] + p, a4);
            }

            if (TRows.Value > 5)
            {
                TKernel.Store(outputs[5] + p, a5);
            }

            if (TRows.Value > 6)
            {
                TKernel.Store(outputs[6] + p, a6);
            }

            if (TRows.Value > 7)
            {
                TKernel.Store(outputs[7] + p, a7);
            }
        }
    }
}
