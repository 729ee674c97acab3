namespace RclonePool.Plugins;

/// <summary>
/// <c>transformer</c>: rewrites the bytes of stored chunk objects, in place, keeping their length, so a ranged read
/// can undo it from any <paramref name="offset"/>. <see cref="Decode"/> must undo <see cref="Encode"/> exactly for any
/// split of an object into pieces: the host checks the round trip on the first block before it trusts the plugin.
/// Data stored through a transformer needs it to be read back.
/// </summary>
public interface ITransformerPlugin : IPlugin
{
    /// <summary>Transforms <paramref name="data"/>, the bytes of an object from <paramref name="offset"/> on, in place.</summary>
    void Encode(Span<byte> data, long offset);

    /// <summary>Undoes <see cref="Encode"/> on <paramref name="data"/>, the stored bytes of an object from <paramref name="offset"/> on.</summary>
    void Decode(Span<byte> data, long offset);
}
