using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RclonePool.Core.Chunking;

/// <summary>
/// Finds content-defined chunk boundaries in a stream fed piece by piece (FastCDC-style gear hash, <see cref="CdcSizes"/>):
/// the hash takes one shift and one table addition per byte, so after 64 bytes a byte no longer counts, and whether a
/// chunk ends at a byte depends only on the 64 bytes before it and on how long the chunk is by then. An insertion or a
/// deletion therefore moves the boundaries around it and no others: once a boundary falls on the same content in both
/// versions, every later one does too. Holds no data, only the chunk's length so far and the hash.
/// </summary>
public sealed class GearCutter(CdcSizes sizes)
{
    /// <summary>The bytes a gear hash remembers: each byte's value is shifted out of the 64-bit hash after this many more.</summary>
    public const int Window = 64;

    // Hashing starts a window before the first possible cut, so the first test already sees a full window.
    private readonly long _hashFrom = Math.Max(0, sizes.Min - Window);
    private long _length;
    private ulong _hash;

    public CdcSizes Sizes { get; } = sizes;

    /// <summary>Bytes fed to the current chunk so far.</summary>
    public long PendingLength => _length;

    /// <summary>
    /// Feeds the next bytes of the stream. Returns how many of them end the current chunk (1..data.Length) and starts the
    /// next chunk after them (feed the rest again); returns -1 when all of them belong to the current chunk.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        if (_length < _hashFrom)
        {
            var skip = (int)Math.Min(_hashFrom - _length, data.Length);
            i = skip;
            _length += skip;
        }

        var hash = _hash;
        var length = _length;
        ref var gear = ref MemoryMarshal.GetArrayDataReference(GearTable.Values);
        ref var bytes = ref MemoryMarshal.GetReference(data);

        // Before the minimum: hash only.
        var end = i + (int)Math.Clamp(Sizes.Min - 1 - length, 0, data.Length - i);
        length += end - i;
        for (; i < end; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
        }

        // From the minimum to the average: the harder mask.
        if (Scan(ref bytes, ref gear, ref i, ref length, ref hash, data.Length, Sizes.Avg - 1, Sizes.SmallMask)
            || Scan(ref bytes, ref gear, ref i, ref length, ref hash, data.Length, Sizes.Max - 1, Sizes.LargeMask))
        {
            return Cut(i);
        }

        // The maximum: a cut whatever the hash.
        if (i < data.Length && length == Sizes.Max - 1)
        {
            return Cut(i + 1);
        }

        _hash = hash;
        _length = length;
        return -1;
    }

    /// <summary>Forgets the current chunk (the stream ended, or starts again).</summary>
    public void Reset()
    {
        _length = 0;
        _hash = 0;
    }

    /// <summary>
    /// Hashes bytes from <paramref name="i"/> while the chunk is shorter than <paramref name="upTo"/> bytes, testing
    /// <paramref name="mask"/> after each; true, with <paramref name="i"/> just past the cut byte, at a cut.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scan(ref byte bytes, ref ulong gear, ref int i, ref long length, ref ulong hash, int count, long upTo, ulong mask)
    {
        var end = i + (int)Math.Clamp(upTo - length, 0, count - i);
        var h = hash;
        for (var j = i; j < end; j++)
        {
            h = (h << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, j));
            if ((h & mask) == 0)
            {
                length += j + 1 - i;
                i = j + 1;
                hash = h;
                return true;
            }
        }

        length += end - i;
        i = end;
        hash = h;
        return false;
    }

    private int Cut(int consumed)
    {
        Reset();
        return consumed;
    }
}
