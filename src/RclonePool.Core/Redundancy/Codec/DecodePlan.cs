namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// How to rebuild the missing shards of one erasure pattern: which k present shards to read, which shards to
/// write, and the matrix (rows = outputs, columns = inputs) with its kernel tables.
/// </summary>
internal sealed class DecodePlan(int[] inputs, int[] outputs, CoefficientTables tables)
{
    public int[] Inputs { get; } = inputs;

    public int[] Outputs { get; } = outputs;

    public CoefficientTables Tables { get; } = tables;

    /// <summary>
    /// Builds the plan: invert the generator rows of the first k present shards, then take the inverse's row for
    /// each missing data shard and (parity row x inverse) for each missing parity shard, so every missing
    /// shard comes out of one pass over the same k inputs.
    /// </summary>
    public static DecodePlan Create(ErasureKey key, int dataShards, int parityShards, byte[] parityMatrix, ReedSolomonKernel kernel)
    {
        int total = dataShards + parityShards;
        var inputs = new int[dataShards];
        var outputs = new List<int>();
        int found = 0;
        for (int i = 0; i < total; i++)
        {
            if (key.IsPresent(i))
            {
                if (found < dataShards)
                {
                    inputs[found++] = i;
                }
            }
            else if (i < dataShards || !key.DataOnly)
            {
                outputs.Add(i);
            }
        }

        var generatorRows = new byte[dataShards * dataShards];
        for (int r = 0; r < dataShards; r++)
        {
            int shard = inputs[r];
            Span<byte> row = generatorRows.AsSpan(r * dataShards, dataShards);
            if (shard < dataShards)
            {
                row[shard] = 1;
            }
            else
            {
                parityMatrix.AsSpan((shard - dataShards) * dataShards, dataShards).CopyTo(row);
            }
        }

        byte[] inverse = GaloisMatrix.Invert(generatorRows, dataShards);
        var matrix = new byte[outputs.Count * dataShards];
        for (int o = 0; o < outputs.Count; o++)
        {
            int shard = outputs[o];
            ReadOnlySpan<byte> row = shard < dataShards
                ? inverse.AsSpan(shard * dataShards, dataShards)
                : GaloisMatrix.Multiply(parityMatrix.AsSpan((shard - dataShards) * dataShards, dataShards), inverse, 1, dataShards, dataShards);
            row.CopyTo(matrix.AsSpan(o * dataShards));
        }

        return new DecodePlan(inputs, [.. outputs], CoefficientTables.Create(kernel, matrix, outputs.Count, dataShards));
    }
}
