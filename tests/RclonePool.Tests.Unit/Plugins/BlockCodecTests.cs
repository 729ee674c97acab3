using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Compression;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Plugins;
using RclonePool.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>
/// Compression, encryption and transformer plugins as stages of one block codec chain: every block round-trips through
/// the guard, the stored form is what the manifest records, a plugin that throws or hangs is caught and its blocks are
/// stored without it (never lost), an encryption plugin that fails stores nothing in the clear, and a chunk whose plugin
/// is not in use fails to read with the plugin's name and what to do.
/// </summary>
public sealed class BlockCodecTests
{
    private const int Block = 4096;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_compression_plugin_compresses_every_block_and_each_decodes_to_its_plain_bytes()
    {
        var data = Runs(10 * Block + 123);
        var chain = new BlockCodecChain { Compression = Codec(new CodecTestPlugins.RunLength()) };

        var (chunk, stored) = await EncodeAsync(data, chain);

        Assert.Equal("compression:rle", chunk.Codec.Name);
        Assert.True(chunk.StoredLength < data.Length / 10, $"{chunk.StoredLength} bytes stored");
        Assert.Equal(data, Decode(chunk, stored, chain));
    }

    [Fact]
    public async Task Blocks_are_compressed_then_encrypted_and_the_stored_bytes_differ_every_time()
    {
        var data = Runs(6 * Block);
        var chain = new BlockCodecChain { Compression = Codec(new CodecTestPlugins.RunLength()), Encryption = Codec(new CodecTestPlugins.NonceXor()) };

        var (chunk, stored) = await EncodeAsync(data, chain);
        var (_, again) = await EncodeAsync(data, chain);

        Assert.Equal("compression:rle,encryption:nonce_xor", chunk.Codec.Name);
        Assert.All(chunk.StoredBlockLengths, l => Assert.True(l < Block / 10, $"a block of {l} stored bytes"));
        Assert.NotEqual(stored, again);
        Assert.Equal(data, Decode(chunk, stored, chain));
        Assert.Equal(data, Decode(chunk, again, chain));
    }

    [Fact]
    public async Task Encryption_alone_encodes_even_incompressible_chunks_and_lets_blocks_grow()
    {
        var data = new byte[3 * Block];
        new Random(3).NextBytes(data);
        var chain = new BlockCodecChain { Zstd = true, Encryption = Codec(new CodecTestPlugins.NonceXor()) };

        var (chunk, stored) = await EncodeAsync(data, chain);

        Assert.Equal("encryption:nonce_xor", chunk.Codec.Name); // zstd left the chunk: it does not compress
        Assert.Equal([Block + 1, Block + 1, Block + 1], chunk.StoredBlockLengths);
        Assert.Equal(data, Decode(chunk, stored, chain with { Zstd = false }));
    }

    [Fact]
    public async Task A_transformer_is_the_last_stage_at_the_blocks_stored_offsets()
    {
        var data = Runs(5 * Block);
        var zstdOnly = await EncodeAsync(data, new BlockCodecChain { Zstd = true });
        var chain = new BlockCodecChain { Zstd = true, Transform = TestPlugins.Transform(new TestPlugins.OffsetXor()) };

        var (chunk, stored) = await EncodeAsync(data, chain);

        Assert.Equal("zstd,transformer:test", chunk.Codec.Name);
        Assert.Equal(zstdOnly.Chunk.StoredBlockLengths, chunk.StoredBlockLengths);
        Assert.NotEqual(zstdOnly.Stored, stored);
        Assert.Equal(data, Decode(chunk, stored, chain));
    }

    [Fact]
    public async Task A_compression_plugin_that_throws_is_refused_on_the_first_block_and_new_chunks_fall_back_to_zstd()
    {
        var plugin = Codec(new CodecTestPlugins.RunLength(failOnCall: _ => true));
        var codecs = new BlockCodecs(new PoolConfig { EnableCompression = true }, null, plugin, null, null);
        var first = codecs.ForWrite()!;
        Assert.Same(plugin, first.Compression);

        var chunk = await CompressedChunk.CreateAsync(() => new MemoryStream(Runs(4 * Block)), 4 * Block, Block, first, Path.GetTempPath(), Ct);

        Assert.Null(chunk); // nothing shrank: stored raw
        Assert.False(plugin.IsUsable);
        Assert.True(codecs.ForWrite() is { Zstd: true, Compression: null });
    }

    [Fact]
    public async Task A_trusted_compression_plugin_that_fails_on_a_block_leaves_that_block_raw_and_loses_nothing()
    {
        var data = Runs(5 * Block);
        var chain = new BlockCodecChain { Compression = Codec(new CodecTestPlugins.RunLength(failOnCall: n => n == 3)) };

        var (chunk, stored) = await EncodeAsync(data, chain);

        Assert.Equal(Block, chunk.StoredBlockLengths[2]); // the check was call 1, block 1 call 2, block 2 call 3
        Assert.All(chunk.StoredBlockLengths.Where((_, b) => b != 2), l => Assert.True(l < Block));
        Assert.Equal(data, Decode(chunk, stored, chain));
    }

    [Fact]
    public async Task A_hanging_compression_plugin_times_out_and_the_chunk_is_stored_without_it()
    {
        using var hangs = new CodecTestPlugins.Hangs();
        var plugin = Codec(hangs, seconds: 0.2);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var chunk = await CompressedChunk.CreateAsync(() => new MemoryStream(Runs(3 * Block)), 3 * Block, Block, new BlockCodecChain { Compression = plugin }, Path.GetTempPath(), Ct);

        Assert.Null(chunk);
        Assert.False(plugin.IsUsable);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_encryption_plugin_that_fails_fails_the_chunk_instead_of_storing_it_in_the_clear()
    {
        var chain = new BlockCodecChain { Encryption = Codec(new CodecTestPlugins.NonceXor(broken: true)) };

        var e = await Assert.ThrowsAsync<PoolException>(() => CompressedChunk.CreateAsync(() => new MemoryStream(Runs(2 * Block)), 2 * Block, Block, chain, Path.GetTempPath(), Ct));

        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("Encryption plugin encryption:nonce_xor did not encrypt a block; nothing of the file was stored unencrypted.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_chunk_whose_plugin_is_not_in_use_names_the_plugin_its_version_and_what_to_do()
    {
        var manifest = CodedManifest("encryption:aes");

        var off = Assert.Throws<PoolException>(() => BlockCodecs.BuiltIn(new PoolConfig()).ForRead(manifest, manifest.Chunks[0]));
        var missing = Assert.Throws<PoolException>(() => BlockCodecs.BuiltIn(new PoolConfig { EnablePlugins = true }).ForRead(manifest, manifest.Chunks[0]));
        var other = new BlockCodecs(new PoolConfig { EnablePlugins = true }, null, null, Codec(new CodecTestPlugins.NonceXor()), null);

        Assert.Equal(PoolErrorKind.Environment, off.Kind);
        Assert.Equal("/f.bin was stored through the encryption plugin encryption:aes 2.0, which this pool does not have in use; nothing of it was read. To read it, plugins are off: set enable_plugins to true and run 'rclonepool plugins enable encryption:aes'.", off.Message);
        Assert.Contains("put it there with 'rclonepool plugins load PATH', then 'rclonepool plugins enable encryption:aes'", missing.Message, StringComparison.Ordinal);
        Assert.Throws<PoolException>(() => other.ForRead(manifest, manifest.Chunks[0]));
        Assert.Same(other.Encryption, other.ForRead(CodedManifest("encryption:nonce_xor"), manifest.Chunks[0] with { Codec = "encryption:nonce_xor" }).Encryption);
    }

    [Fact]
    public void The_manifest_lists_each_plugin_the_chunks_name_once()
    {
        var manifest = CodedManifest("zstd,encryption:aes,transformer:xor");
        var codecs = BlockCodecs.BuiltIn(new PoolConfig());

        var plugins = codecs.PluginsOf([manifest.Chunks[0], manifest.Chunks[0], manifest.Chunks[0] with { Codec = null }]);

        Assert.Equal(["encryption:aes", "transformer:xor"], plugins!.Select(p => p.Id));
        Assert.Null(codecs.PluginsOf([manifest.Chunks[0] with { Codec = "zstd" }]));
    }

    private static PluginBlockCodec Codec(ICompressionPlugin plugin, double seconds = 2) =>
        PluginBlockCodec.For(plugin, plugin.Metadata, TestPlugins.Guard(plugin.Metadata.Id, seconds), NullLogger.Instance);

    private static PluginBlockCodec Codec(IEncryptionPlugin plugin) =>
        PluginBlockCodec.For(plugin, plugin.Metadata, TestPlugins.Guard(plugin.Metadata.Id), NullLogger.Instance);

    /// <summary>Runs of 100 equal bytes: compressible by run-length coding and zstd alike.</summary>
    private static byte[] Runs(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i / 100))];

    private static async Task<(CompressedChunk Chunk, byte[] Stored)> EncodeAsync(byte[] data, BlockCodecChain chain)
    {
        var chunk = await CompressedChunk.CreateAsync(() => new MemoryStream(data), data.Length, Block, chain, Path.GetTempPath(), Ct);
        Assert.NotNull(chunk);
        await using var stored = chunk.OpenStored();
        var bytes = new MemoryStream();
        await stored.CopyToAsync(bytes, Ct);
        Assert.Equal(chunk.StoredLength, bytes.Length);
        await chunk.DisposeAsync(); // the memory form stays readable through the copy made above
        return (chunk, bytes.ToArray());
    }

    private static byte[] Decode(CompressedChunk chunk, byte[] stored, BlockCodecChain chain)
    {
        using var decoder = new BlockDecoder();
        var plain = new byte[chunk.PlainLength];
        long at = 0;
        for (var b = 0; b < chunk.StoredBlockLengths.Count; b++)
        {
            var length = chunk.StoredBlockLengths[b];
            var block = stored.AsSpan((int)at, length).ToArray();
            var plainLength = (int)Math.Min(Block, plain.Length - ((long)b * Block));
            Assert.True(decoder.TryDecode(chain, block, at, plain.AsSpan(b * Block, plainLength), $"block {b}"));
            at += length;
        }

        return plain;
    }

    private static Manifest CodedManifest(string codec) => new()
    {
        FormatVersion = Manifest.PluginCodecFormatVersion,
        PoolId = ManifestNames.NewId(),
        FileId = ManifestNames.NewId(),
        Path = "/f.bin",
        Size = 10,
        Sha256 = new string('a', 64),
        ChunkSize = 10,
        BlockSize = 10,
        Plugins = [new CodecPlugin { Id = "encryption:aes", Version = "2.0" }],
        Chunks = [new ChunkEntry { Index = 0, Length = 10, Sha256 = new string('b', 64), BlockHashes = "AAAA", Codec = codec, Locations = [] }],
    };
}
