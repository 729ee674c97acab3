using System.Security.Cryptography;
using System.Text;
using RclonePool.Plugins;

namespace XorTransformer;

/// <summary>
/// <c>transformer:xor</c>: XORs stored chunk bytes with a key stream derived from the setting <c>key</c> (SHA-256 of
/// it, repeated), by position in the object, so any range decodes on its own. A sample of the transformer contract
/// (same length, undone exactly by <see cref="Decode"/>), not encryption: use_crypt is the pool's encryption.
/// </summary>
public sealed class XorTransformer : ITransformerPlugin
{
    private byte[] _key = SHA256.HashData("rclonepool"u8);

    public PluginMetadata Metadata { get; } = new("xor", "1.0.0", "rclonepool samples", "XORs stored chunks with a key stream (a sample transformer).", PluginType.Transformer);

    public void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TryGetValue("key", out var key))
        {
            _key = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        }
    }

    public void Encode(Span<byte> data, long offset) => Apply(data, offset);

    public void Decode(Span<byte> data, long offset) => Apply(data, offset);

    private void Apply(Span<byte> data, long offset)
    {
        var position = (int)(offset % _key.Length);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= _key[position];
            position = position + 1 == _key.Length ? 0 : position + 1;
        }
    }
}
