using RclonePool.Core.Chunking;

namespace RclonePool.Tests.Unit.Chunking;

/// <summary>Cuts byte arrays with a <see cref="GearCutter"/>, as the upload path feeds it: piece by piece.</summary>
internal static class CdcCuts
{
    /// <summary>Small sizes, so a few hundred KiB make dozens of chunks.</summary>
    public static readonly CdcSizes Small = new(1024, 4096, 16 * 1024);

    /// <summary>The chunk lengths of <paramref name="data"/>, fed in pieces of <paramref name="piece"/> bytes.</summary>
    public static List<int> Lengths(byte[] data, CdcSizes sizes, int piece = 1 << 20)
    {
        var cutter = new GearCutter(sizes);
        var lengths = new List<int>();
        var chunkStart = 0;
        for (var at = 0; at < data.Length;)
        {
            var end = Math.Min(data.Length, at + piece);
            while (at < end)
            {
                var cut = cutter.Feed(data.AsSpan(at, end - at));
                if (cut < 0)
                {
                    at = end;
                    break;
                }

                at += cut;
                lengths.Add(at - chunkStart);
                chunkStart = at;
            }
        }

        if (chunkStart < data.Length)
        {
            lengths.Add(data.Length - chunkStart);
        }

        return lengths;
    }

    /// <summary>The chunks of <paramref name="data"/> themselves.</summary>
    public static List<byte[]> Chunks(byte[] data, CdcSizes sizes)
    {
        var chunks = new List<byte[]>();
        var offset = 0;
        foreach (var length in Lengths(data, sizes))
        {
            chunks.Add(data.AsSpan(offset, length).ToArray());
            offset += length;
        }

        return chunks;
    }

    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
