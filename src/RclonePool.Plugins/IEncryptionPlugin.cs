namespace RclonePool.Plugins;

/// <summary>
/// <c>encryption</c>: encrypts a block. When enabled, every hash block of new chunks is encrypted after compression (the
/// result may be up to 64 KiB longer: a nonce, a tag). The manifest records the plugin and its version, and reading those
/// files needs it enabled with the same settings. The host checks the round trip on the first block before it trusts the
/// plugin; when it fails, the upload fails rather than store the block unencrypted. rclone crypt (<c>use_crypt</c>) works
/// beside it.
/// </summary>
public interface IEncryptionPlugin : IPlugin
{
    /// <summary>The encrypted form of <paramref name="block"/>; it need not be the same twice (a random nonce).</summary>
    byte[] Encrypt(ReadOnlySpan<byte> block);

    /// <summary>The block <paramref name="encrypted"/> came from.</summary>
    byte[] Decrypt(ReadOnlySpan<byte> encrypted);
}
