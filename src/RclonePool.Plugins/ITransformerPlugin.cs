namespace RclonePool.Plugins;

/// <summary>
/// <c>transformer</c>: rewrites stored bytes in place, keeping their length: the last stage of every hash block of new
/// chunks (after compression and encryption), given the block's <paramref name="offset"/> in the chunk's stored form.
/// <see cref="Decode"/> must undo <see cref="Encode"/> exactly for any split of the bytes into pieces: the host checks the
/// round trip on the first block before it trusts the plugin. The manifest records the transformer and its version; files
/// stored through it need it to be read back, and files stored without it are read as they are.
/// </summary>
public interface ITransformerPlugin : IPlugin
{
    /// <summary>Transforms <paramref name="data"/>, stored bytes from <paramref name="offset"/> on, in place.</summary>
    void Encode(Span<byte> data, long offset);

    /// <summary>Undoes <see cref="Encode"/> on <paramref name="data"/>, stored bytes from <paramref name="offset"/> on.</summary>
    void Decode(Span<byte> data, long offset);
}
