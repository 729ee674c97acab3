using System.Text;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;

namespace RclonePool.Tests.Unit.Manifests;

/// <summary>The manifest pack format (docs/manifest-format.md): records as they would be stored alone, refused whole when damaged.</summary>
public sealed class ManifestPackTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Manifests_and_tombstones_come_back_byte_for_byte_in_order()
    {
        var a = ManifestSerializerTests.Sample();
        var b = ManifestSerializerTests.Sample() with { PoolId = a.PoolId, Revision = 1 };
        var tombstone = ManifestPack.SerializeTombstone(ManifestNames.NewId(), 7, Now);
        byte[][] records = [ManifestSerializer.Serialize(a), ManifestSerializer.Serialize(b), tombstone];

        var pack = ManifestPack.Serialize(a.PoolId, [.. records.Select(r => (ReadOnlyMemory<byte>)r)], Now);
        var back = ManifestPack.Parse(pack, a.PoolId, "p");

        Assert.Equal(3, back.Count);
        Assert.Equal([(a.FileId, 3L, false), (b.FileId, 1L, false)], back.Take(2).Select(r => (r.FileId, r.Revision, r.IsTombstone)));
        Assert.True(back[2].IsTombstone);
        Assert.Equal(7, back[2].Revision);
        Assert.All(back.Zip(records), p => Assert.Equal(p.Second, p.First.Bytes));
        Assert.Equal(records[0], ManifestSerializer.Serialize(ManifestSerializer.Deserialize(back[0].Bytes, "r")));
    }

    [Fact]
    public void Records_split_into_packs_under_the_target_size_in_order_and_each_pack_reads_back()
    {
        var m = ManifestSerializerTests.Sample();
        var records = Enumerable.Range(1, 1000).Select(r => (ReadOnlyMemory<byte>)ManifestSerializer.Serialize(m with { Revision = r })).ToList();
        var target = 20 * (records[0].Length + 1);

        var runs = ManifestPack.Split(records, target).ToList();

        Assert.True(runs.Count >= 1000 / 21, $"{runs.Count} packs");
        Assert.All(runs, run => Assert.True(run.Sum(r => r.Length + 1) <= target));
        Assert.Equal(Enumerable.Range(1, 1000).Select(r => (long)r), runs.SelectMany(run => ManifestPack.Parse(ManifestPack.Serialize(m.PoolId, run, Now), m.PoolId, "p")).Select(r => r.Revision));

        // A record larger than the target goes alone; the default target keeps a pack far below what a reader takes whole.
        Assert.Equal([1, 1, 1], ManifestPack.Split(records.Take(3).ToList(), 10).Select(run => run.Count));
        Assert.True(ManifestPack.TargetBytes * 2 <= RclonePool.Core.Remotes.RemoteStoreExtensions.MaxSmallObjectBytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_pack_cut_short_is_refused_whole(bool compressed)
    {
        var m = ManifestSerializerTests.Sample();
        ReadOnlyMemory<byte>[] records = [ManifestSerializer.Serialize(m), ManifestSerializer.Serialize(m with { Revision = 4 })];
        var pack = compressed ? ManifestPack.Serialize(m.PoolId, records, Now) : ManifestPack.SerializePlain(m.PoolId, records, Now);

        foreach (var cut in new[] { pack.Length - 1, pack.Length - 20, Array.IndexOf(pack, (byte)'\n') + 1, 10 })
        {
            var e = Assert.Throws<PoolException>(() => ManifestPack.Parse(pack.AsSpan(0, cut), m.PoolId, "remote pack-x"));
            Assert.Equal(PoolErrorKind.Integrity, e.Kind);
            Assert.Contains("remote pack-x is damaged", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_pack_of_another_pool_or_a_newer_format_is_refused()
    {
        var m = ManifestSerializerTests.Sample();
        var pack = ManifestPack.Serialize(m.PoolId, [ManifestSerializer.Serialize(m)], Now);
        Assert.Equal(PoolErrorKind.Integrity, Assert.Throws<PoolException>(() => ManifestPack.Parse(pack, ManifestNames.NewId(), "p")).Kind);

        // A newer pack format, plain or compressed, asks for an upgrade.
        var plain = ManifestPack.SerializePlain(m.PoolId, [ManifestSerializer.Serialize(m)], Now);
        var newer = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(plain).Replace("\"format_version\":1,\"pool_id\"", "\"format_version\":9,\"pool_id\"", StringComparison.Ordinal));
        foreach (var bytes in new[] { newer, PackCompression.Compress(newer) })
        {
            var e = Assert.Throws<PoolException>(() => ManifestPack.Parse(bytes, m.PoolId, "p"));
            Assert.Equal(PoolErrorKind.Environment, e.Kind);
            Assert.Contains("upgrade rclonepool", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pack_names_are_recognised_and_never_taken_for_manifests()
    {
        var id = ManifestNames.NewId();
        var name = ManifestNames.PackName(id);
        Assert.Equal($"pack-{id}.jsonl.zst", name);
        Assert.True(ManifestNames.IsPackName(name));
        Assert.True(ManifestNames.IsCompressedPackName(name));
        Assert.False(ManifestNames.TryParse(name, out _, out _));

        // A pack written before compressed packs keeps its name and still counts as a pack, a plain one.
        var plain = ManifestNames.PlainPackName(id);
        Assert.Equal($"pack-{id}.jsonl", plain);
        Assert.True(ManifestNames.IsPackName(plain));
        Assert.False(ManifestNames.IsCompressedPackName(plain));
        Assert.False(ManifestNames.TryParse(plain, out _, out _));

        Assert.False(ManifestNames.IsPackName(ManifestNames.ObjectName(ManifestNames.NewId(), 1)));
        Assert.False(ManifestNames.IsPackName("pack-xyz.jsonl"));
        Assert.False(ManifestNames.IsPackName("pack-xyz.jsonl.zst"));
        Assert.False(ManifestNames.IsPackName(name + ".zst"));
        Assert.False(ManifestNames.IsPackName(name[..^1]));
    }

    [Fact]
    public void A_new_descriptor_keeps_pool_format_1_and_formats_2_and_3_are_read()
    {
        var descriptor = new PoolDescriptor { PoolId = ManifestNames.NewId(), Remote = "a:" };
        Assert.Equal(PoolDescriptor.PlainFormatVersion, descriptor.FormatVersion);
        var raised = ManifestSerializer.DeserializeDescriptor(ManifestSerializer.Serialize(descriptor with { FormatVersion = PoolDescriptor.PackedFormatVersion }), "d");
        Assert.Equal(2, raised.FormatVersion);
        var compressed = ManifestSerializer.DeserializeDescriptor(ManifestSerializer.Serialize(descriptor with { FormatVersion = PoolDescriptor.CompressedPacksFormatVersion }), "d");
        Assert.Equal(3, compressed.FormatVersion);
        Assert.Equal(PoolDescriptor.CompressedPacksFormatVersion, PoolDescriptor.CurrentFormatVersion);
        Assert.Equal(PoolErrorKind.Environment, Assert.Throws<PoolException>(() => ManifestSerializer.DeserializeDescriptor(ManifestSerializer.Serialize(descriptor with { FormatVersion = 4 }), "d")).Kind);
    }
}
