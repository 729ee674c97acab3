namespace RclonePool.Plugins;

/// <summary>
/// <c>compression</c>: compresses a block. When enabled it replaces zstd for new chunks: each hash block (256 KiB) is
/// compressed on its own and kept compressed only where that made it smaller, before encryption. The manifest records the
/// plugin and its version, and reading those files needs it enabled. The host checks the round trip on the first block
/// before it trusts the plugin; a block it fails on (an exception, a time-out) is stored uncompressed.
/// </summary>
public interface ICompressionPlugin : IPlugin
{
    /// <summary>The compressed form of <paramref name="block"/> (a result not shorter than the block is not used).</summary>
    byte[] Compress(ReadOnlySpan<byte> block);

    /// <summary>The block of <paramref name="originalLength"/> bytes that <paramref name="compressed"/> came from.</summary>
    byte[] Decompress(ReadOnlySpan<byte> compressed, int originalLength);
}
