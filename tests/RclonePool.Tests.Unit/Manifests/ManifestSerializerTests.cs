using System.Text;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;

namespace RclonePool.Tests.Unit.Manifests;

public sealed class ManifestSerializerTests
{
    internal static Manifest Sample() => new()
    {
        PoolId = ManifestNames.NewId(),
        FileId = ManifestNames.NewId(),
        Revision = 3,
        Path = "/films/Amélie 2001.mkv",
        Size = 150,
        Created = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
        Modified = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
        Written = DateTimeOffset.Parse("2026-01-02T03:04:06Z", System.Globalization.CultureInfo.InvariantCulture),
        Sha256 = new string('a', 64),
        ChunkSize = 100,
        BlockSize = 64,
        Chunks =
        [
            new ChunkEntry { Index = 0, Offset = 0, Length = 100, Sha256 = new string('b', 64), BlockHashes = "AAAA", Locations = [new ChunkLocation { Remote = "a:", Object = "rclonepool_data/ab/abc", StoredLength = 100 }] },
            new ChunkEntry { Index = 1, Offset = 100, Length = 50, Sha256 = new string('c', 64), BlockHashes = "AAAA", Locations = [new ChunkLocation { Remote = "b:", Object = "rclonepool_data/cd/cde", StoredLength = 50 }, new ChunkLocation { Remote = "c:", Object = "rclonepool_data/ef/efg", Role = LocationRole.Replica, StoredLength = 50 }] },
        ],
        Properties = new Dictionary<string, string> { ["{DAV:}x"] = "<y/>" },
    };

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var original = Sample();
        var back = ManifestSerializer.Deserialize(ManifestSerializer.Serialize(original), "test");
        Assert.Equal(ManifestSerializer.ToIndentedJson(original), ManifestSerializer.ToIndentedJson(back));
        Assert.Equal(original.Chunks[1].Locations[1], back.Chunks[1].Locations[1]);
    }

    [Fact]
    public void Json_uses_snake_case_names_and_string_enums()
    {
        var json = Encoding.UTF8.GetString(ManifestSerializer.Serialize(Sample()));
        Assert.Contains("\"format_version\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"block_hashes\"", json, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"Replica\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Older_manifests_without_redundancy_read_as_none()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ManifestSerializer.Serialize(Sample()))!.AsObject();
        Assert.True(node.Remove("redundancy"));
        var back = ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(node.ToJsonString()), "test");
        Assert.Equal("none", back.Redundancy.Mode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{}")]
    [InlineData("null")]
    public void Garbage_is_an_integrity_error(string text)
    {
        var e = Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "m1"));
        Assert.Contains("m1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_format_is_refused_with_advice_to_upgrade()
    {
        var json = ManifestSerializer.Serialize(Sample() with { FormatVersion = 99 });
        var e = Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(json, "m1"));
        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("upgrade", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunks_that_do_not_tile_the_size_are_refused()
    {
        var bad = Sample() with { Size = 151 };
        Assert.Equal(PoolErrorKind.Integrity, Assert.Throws<PoolException>(() => ManifestSerializer.Deserialize(ManifestSerializer.Serialize(bad), "m")).Kind);
    }

    [Fact]
    public void Object_names_round_trip_and_foreign_names_are_ignored()
    {
        var id = ManifestNames.NewId();
        Assert.True(ManifestNames.TryParse(ManifestNames.ObjectName(id, 12), out var fileId, out var revision));
        Assert.Equal((id, 12L), (fileId, revision));
        Assert.False(ManifestNames.TryParse("notes.json", out _, out _));
        Assert.False(ManifestNames.TryParse(id + "-r0.json", out _, out _));
    }
}
