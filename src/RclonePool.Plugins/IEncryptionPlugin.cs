namespace RclonePool.Plugins;

/// <summary><c>encryption</c>: encrypts a block. The contract is defined; this version of rclonepool does not call it yet (it encrypts with rclone crypt, <c>use_crypt</c>).</summary>
public interface IEncryptionPlugin : IPlugin
{
    byte[] Encrypt(ReadOnlySpan<byte> block);

    byte[] Decrypt(ReadOnlySpan<byte> encrypted);
}
