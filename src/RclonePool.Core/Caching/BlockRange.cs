namespace RclonePool.Core.Caching;

/// <summary>Hash blocks <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive) of one chunk.</summary>
public readonly record struct BlockRange(int From, int To)
{
    public int Count => To - From;

    public bool Contains(int block) => block >= From && block < To;

    /// <summary>The smallest range holding both this one and <paramref name="block"/>.</summary>
    public BlockRange With(int block) => new(Math.Min(From, block), Math.Max(To, block + 1));
}
