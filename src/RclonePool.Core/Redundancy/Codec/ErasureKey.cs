namespace RclonePool.Core.Redundancy.Codec;

/// <summary>Which of up to 256 shards are present, and whether only the data shards are wanted back: the decode cache key.</summary>
internal readonly record struct ErasureKey(ulong Word0, ulong Word1, ulong Word2, ulong Word3, bool DataOnly)
{
    public static ErasureKey From(ReadOnlySpan<bool> present, bool dataOnly)
    {
        Span<ulong> words = stackalloc ulong[4];
        words.Clear();
        for (int i = 0; i < present.Length; i++)
        {
            if (present[i])
            {
                words[i >> 6] |= 1UL << (i & 63);
            }
        }

        return new(words[0], words[1], words[2], words[3], dataOnly);
    }

    public bool IsPresent(int shard)
    {
        ulong word = (shard >> 6) switch
        {
            0 => Word0,
            1 => Word1,
            2 => Word2,
            _ => Word3,
        };
        return ((word >> (shard & 63)) & 1) != 0;
    }
}
