using System.IO.Compression;
using RclonePool.Plugins;

namespace TestCodecs;

/// <summary><c>compression:deflate</c>: each block as a raw deflate stream (System.IO.Compression), for the codec tests.</summary>
public sealed class DeflateCompression : ICompressionPlugin
{
    public PluginMetadata Metadata { get; } = new("deflate", "1.2.0", "rclonepool tests", "Deflate per block (a test compression plugin).", PluginType.Compression);

    public byte[] Compress(ReadOnlySpan<byte> block)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(block);
        }

        return output.ToArray();
    }

    public byte[] Decompress(ReadOnlySpan<byte> compressed, int originalLength)
    {
        var plain = new byte[originalLength];
        using var deflate = new DeflateStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress);
        deflate.ReadExactly(plain);
        return plain;
    }
}
