using System.Security.Cryptography;
using System.Text;
using RclonePool.Plugins;

namespace TestCodecs;

/// <summary>
/// <c>encryption:aesgcm</c>: AES-256-GCM per block with a fresh random nonce (so the same block never encrypts to the same
/// bytes twice), the key the SHA-256 of the setting <c>key</c>. Stored block: nonce (12) + tag (16) + ciphertext.
/// </summary>
public sealed class AesGcmEncryption : IEncryptionPlugin
{
    private byte[] _key = SHA256.HashData("rclonepool tests"u8);

    public PluginMetadata Metadata { get; } = new("aesgcm", "2.0.1", "rclonepool tests", "AES-256-GCM per block (a test encryption plugin).", PluginType.Encryption);

    public void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TryGetValue("key", out var key))
        {
            _key = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        }
    }

    public byte[] Encrypt(ReadOnlySpan<byte> block)
    {
        var stored = new byte[AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize + block.Length];
        var nonce = stored.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = stored.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, tag.Length);
        aes.Encrypt(nonce, block, stored.AsSpan(nonce.Length + tag.Length), tag);
        return stored;
    }

    public byte[] Decrypt(ReadOnlySpan<byte> encrypted)
    {
        var nonce = encrypted[..AesGcm.NonceByteSizes.MaxSize];
        var tag = encrypted.Slice(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        var cipher = encrypted[(nonce.Length + tag.Length)..];
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Decrypt(nonce, cipher, tag, plain);
        return plain;
    }
}
