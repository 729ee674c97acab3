using RclonePool.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>Compression and encryption plugins written in the test, created directly (loading them is the integration tests' part).</summary>
internal static class CodecTestPlugins
{
    /// <summary>Run-length coding: (count, byte) pairs; shrinks runs, doubles noise.</summary>
    public sealed class RunLength(Func<int, bool>? failOnCall = null) : ICompressionPlugin
    {
        public int Calls;

        public PluginMetadata Metadata { get; } = new("rle", "0.9.0", "tests", "Run-length coding.", PluginType.Compression);

        public byte[] Compress(ReadOnlySpan<byte> block)
        {
            if (failOnCall?.Invoke(Interlocked.Increment(ref Calls)) == true)
            {
                throw new InvalidOperationException("compressor broke");
            }

            var output = new List<byte>(block.Length / 4);
            for (var i = 0; i < block.Length;)
            {
                var run = 1;
                while (i + run < block.Length && run < 255 && block[i + run] == block[i])
                {
                    run++;
                }

                output.Add((byte)run);
                output.Add(block[i]);
                i += run;
            }

            return [.. output];
        }

        public byte[] Decompress(ReadOnlySpan<byte> compressed, int originalLength)
        {
            var plain = new byte[originalLength];
            var at = 0;
            for (var i = 0; i + 1 < compressed.Length; i += 2)
            {
                plain.AsSpan(at, compressed[i]).Fill(compressed[i + 1]);
                at += compressed[i];
            }

            return plain;
        }
    }

    /// <summary>A toy cipher with a random one-byte "nonce" in front: never the same bytes twice, one byte longer.</summary>
    public sealed class NonceXor(bool broken = false) : IEncryptionPlugin
    {
        public PluginMetadata Metadata { get; } = new("nonce_xor", "3.1.0", "tests", "XOR with a random byte, stored in front.", PluginType.Encryption);

        public byte[] Encrypt(ReadOnlySpan<byte> block)
        {
            if (broken)
            {
                throw new InvalidOperationException("no key");
            }

            var stored = new byte[block.Length + 1];
            stored[0] = (byte)Random.Shared.Next(1, 256);
            for (var i = 0; i < block.Length; i++)
            {
                stored[i + 1] = (byte)(block[i] ^ stored[0]);
            }

            return stored;
        }

        public byte[] Decrypt(ReadOnlySpan<byte> encrypted)
        {
            var plain = new byte[encrypted.Length - 1];
            for (var i = 0; i < plain.Length; i++)
            {
                plain[i] = (byte)(encrypted[i + 1] ^ encrypted[0]);
            }

            return plain;
        }
    }

    /// <summary>A compression plugin whose every call waits until <see cref="Release"/>.</summary>
    public sealed class Hangs : ICompressionPlugin, IDisposable
    {
        private readonly ManualResetEventSlim _released = new();

        public PluginMetadata Metadata { get; } = new("hangs", "1.0.0", "tests", "Never answers.", PluginType.Compression);

        public byte[] Compress(ReadOnlySpan<byte> block)
        {
            _released.Wait();
            return [1];
        }

        public byte[] Decompress(ReadOnlySpan<byte> compressed, int originalLength)
        {
            _released.Wait();
            return new byte[originalLength];
        }

        public void Release() => _released.Set();

        public void Dispose()
        {
            Release();
            _released.Dispose();
        }
    }
}
