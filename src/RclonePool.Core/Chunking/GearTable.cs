namespace RclonePool.Core.Chunking;

/// <summary>
/// The 256 random 64-bit values of the gear hash, one per byte value, made by SplitMix64 from a fixed seed. They are part
/// of the on-remote format in effect: other values would cut the same content elsewhere, and content uploaded before and
/// after would share no chunk (nothing would be lost, only deduplication). A unit test pins them.
/// </summary>
internal static class GearTable
{
    /// <summary>The seed: the ASCII bytes of "rcpool-g" read as a big-endian number.</summary>
    public const ulong Seed = 0x7263706F6F6C2D67;

    /// <summary>The table, indexed by byte value.</summary>
    public static readonly ulong[] Values = Generate(Seed);

    private static ulong[] Generate(ulong seed)
    {
        var values = new ulong[256];
        var state = seed;
        for (var i = 0; i < values.Length; i++)
        {
            state += 0x9E3779B97F4A7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            values[i] = z ^ (z >> 31);
        }

        return values;
    }
}
