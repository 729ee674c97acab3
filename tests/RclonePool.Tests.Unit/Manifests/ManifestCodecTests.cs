using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;

namespace RclonePool.Tests.Unit.Manifests;

/// <summary>The codec plugins in a manifest (format 5): the chunk's codec chain, the file's <c>plugins</c> with versions, and manifests written before them.</summary>
public sealed class ManifestCodecTests
{
    [Fact]
    public void The_plugins_field_round_trips_in_snake_case_with_format_5()
    {
        var manifest = Encrypted();

        var json = Encoding.UTF8.GetString(ManifestSerializer.Serialize(manifest));
        var back = ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(json), "m");

        Assert.Contains("\"format_version\":5", json, StringComparison.Ordinal);
        Assert.Contains("\"plugins\":[{\"id\":\"compression:lz4\",\"version\":\"1.0.0\"},{\"id\":\"encryption:aes\",\"version\":\"2.1\"}]", json, StringComparison.Ordinal);
        Assert.Contains("\"codec\":\"compression:lz4,encryption:aes\"", json, StringComparison.Ordinal);
        Assert.Equal(manifest.Plugins, back.Plugins);
        Assert.Equal(ManifestSerializer.ToIndentedJson(manifest), ManifestSerializer.ToIndentedJson(back));
    }

    [Fact]
    public void A_manifest_written_before_codec_plugins_reads_without_the_field()
    {
        var node = JsonNode.Parse(ManifestSerializer.Serialize(ManifestSerializerTests.Sample()))!.AsObject();
        Assert.False(node.ContainsKey("plugins"));

        var back = ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(node.ToJsonString()), "m");

        Assert.Null(back.Plugins);
        Assert.All(back.Chunks, c => Assert.Null(c.Codec));
    }

    [Fact]
    public void A_plugin_codec_in_an_older_format_or_without_its_plugin_listed_is_damage()
    {
        var older = Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(ManifestSerializer.Serialize(Encrypted() with { FormatVersion = Manifest.DedupFormatVersion }), "m"));
        var unlisted = Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(ManifestSerializer.Serialize(Encrypted() with { Plugins = [new CodecPlugin { Id = "encryption:aes", Version = "2.1" }] }), "m"));
        var tooLong = Encrypted();
        tooLong = tooLong with { Chunks = [tooLong.Chunks[0] with { StoredBlockLengths = [64 + ChunkCodec.MaxBlockGrowth + 1, 1], StoredLength = 64 + ChunkCodec.MaxBlockGrowth + 2 }, tooLong.Chunks[1]] };

        Assert.Equal(PoolErrorKind.Integrity, older.Kind);
        Assert.Contains("uses the plugin codec 'compression:lz4,encryption:aes' in a manifest of format 4", older.Message, StringComparison.Ordinal);
        Assert.Contains("uses the plugin compression:lz4, which the manifest's 'plugins' does not list", unlisted.Message, StringComparison.Ordinal);
        Assert.Contains("has a stored block length", Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(ManifestSerializer.Serialize(tooLong), "m")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_older_rclonepool_refuses_format_5_with_advice_to_upgrade()
    {
        var json = ManifestSerializer.Serialize(Encrypted() with { FormatVersion = Manifest.CurrentFormatVersion + 1 });

        var e = Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(json, "m"));

        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("upgrade rclonepool", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zstd", "zstd", null, null)]
    [InlineData("compression:lz4", "compression:lz4", null, null)]
    [InlineData("zstd,encryption:aes", "zstd", "encryption:aes", null)]
    [InlineData("compression:lz4,encryption:aes,transformer:xor", "compression:lz4", "encryption:aes", "transformer:xor")]
    [InlineData("transformer:xor", null, null, "transformer:xor")]
    public void A_codec_chain_parses_into_its_stages_and_back(string text, string? compression, string? encryption, string? transformer)
    {
        Assert.True(ChunkCodec.TryParse(text, out var codec));
        Assert.Equal(new ChunkCodec(compression, encryption, transformer), codec);
        Assert.Equal(text, codec.Name);
    }

    [Theory]
    [InlineData("lz4")]
    [InlineData("encryption:aes,zstd")]
    [InlineData("zstd,zstd")]
    [InlineData("zstd,compression:lz4")]
    [InlineData("compression:LZ4")]
    [InlineData("encryption:")]
    [InlineData("zstd,")]
    public void A_codec_chain_out_of_order_or_unknown_is_refused(string text) => Assert.False(ChunkCodec.TryParse(text, out _));

    /// <summary>The sample with its first chunk compressed by a plugin and encrypted (two 64-byte blocks grown by 28 bytes each).</summary>
    private static Manifest Encrypted()
    {
        var sample = ManifestSerializerTests.Sample();
        return sample with
        {
            FormatVersion = Manifest.PluginCodecFormatVersion,
            Plugins = [new CodecPlugin { Id = "compression:lz4", Version = "1.0.0" }, new CodecPlugin { Id = "encryption:aes", Version = "2.1" }],
            Chunks =
            [
                sample.Chunks[0] with { Codec = "compression:lz4,encryption:aes", StoredLength = 156, StoredSha256 = new string('d', 64), StoredBlockHashes = "AAAA", StoredBlockLengths = [92, 64] },
                sample.Chunks[1],
            ],
        };
    }
}
