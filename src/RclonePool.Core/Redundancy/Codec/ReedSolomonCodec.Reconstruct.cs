using RclonePool.Core.Errors;

namespace RclonePool.Core.Redundancy.Codec;

public sealed partial class ReedSolomonCodec
{
    private const int MaxCachedPlans = 4096;

    /// <summary>
    /// Rebuilds every missing shard, data and parity, from any <see cref="DataShards"/> present ones.
    /// </summary>
    /// <param name="shards">All <see cref="TotalShards"/> shards in stripe order (data, then parity), all of one
    /// length; the buffers of missing shards are overwritten with their rebuilt contents.</param>
    /// <param name="present">Which shards hold valid data.</param>
    /// <exception cref="ArgumentException">Wrong counts or unequal lengths.</exception>
    /// <exception cref="PoolException">Fewer than <see cref="DataShards"/> shards are present
    /// (<see cref="PoolErrorKind.Integrity"/>): the stripe cannot be rebuilt.</exception>
    public void Reconstruct(ReadOnlySpan<Memory<byte>> shards, ReadOnlySpan<bool> present) =>
        Reconstruct(shards, present, dataOnly: false);

    /// <summary>
    /// Rebuilds only the missing data shards (what a degraded read needs); missing parity buffers are left alone.
    /// </summary>
    /// <inheritdoc cref="Reconstruct(ReadOnlySpan{Memory{byte}}, ReadOnlySpan{bool})"/>
    public void ReconstructData(ReadOnlySpan<Memory<byte>> shards, ReadOnlySpan<bool> present) =>
        Reconstruct(shards, present, dataOnly: true);

    private unsafe void Reconstruct(ReadOnlySpan<Memory<byte>> shards, ReadOnlySpan<bool> present, bool dataOnly)
    {
        if (shards.Length != TotalShards)
        {
            throw new ArgumentException($"Reed-Solomon {this} expects {TotalShards} shards, got {shards.Length}.", nameof(shards));
        }

        if (present.Length != TotalShards)
        {
            throw new ArgumentException($"Reed-Solomon {this} expects {TotalShards} presence flags, got {present.Length}.", nameof(present));
        }

        int presentCount = 0;
        bool wanted = false;
        for (int i = 0; i < TotalShards; i++)
        {
            if (present[i])
            {
                presentCount++;
            }
            else if (i < DataShards || !dataOnly)
            {
                wanted = true;
            }
        }

        if (presentCount < DataShards)
        {
            throw new PoolException(
                PoolErrorKind.Integrity,
                $"Reed-Solomon {this} cannot rebuild this stripe: {TotalShards - presentCount} of {TotalShards} shards are missing " +
                $"and at most {ParityShards} may be; restore a missing shard's remote or the data is lost.");
        }

        int length = shards[0].Length;
        for (int i = 1; i < shards.Length; i++)
        {
            RequireLength(shards[i].Length, length, i, nameof(shards));
        }

        if (!wanted || length == 0)
        {
            return;
        }

        DecodePlan plan = PlanFor(ErasureKey.From(present, dataOnly));
        byte** pointers = stackalloc byte*[TotalShards];
        PinThenMultiply([], shards, 0, pointers, new Work(plan.Tables, plan, length));
    }

    private DecodePlan PlanFor(ErasureKey key)
    {
        if (_plans.TryGetValue(key, out DecodePlan? plan))
        {
            return plan;
        }

        plan = DecodePlan.Create(key, DataShards, ParityShards, _parityMatrix, Kernel);
        if (_plans.Count >= MaxCachedPlans)
        {
            _plans.Clear();
        }

        return _plans.GetOrAdd(key, plan);
    }
}
