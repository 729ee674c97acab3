namespace RclonePool.Plugins;

/// <summary><c>compression</c>: compresses a block. The contract is defined; this version of rclonepool does not call it yet.</summary>
public interface ICompressionPlugin : IPlugin
{
    /// <summary>The compressed form of <paramref name="block"/>.</summary>
    byte[] Compress(ReadOnlySpan<byte> block);

    /// <summary>The block of <paramref name="originalLength"/> bytes that <paramref name="compressed"/> came from.</summary>
    byte[] Decompress(ReadOnlySpan<byte> compressed, int originalLength);
}
