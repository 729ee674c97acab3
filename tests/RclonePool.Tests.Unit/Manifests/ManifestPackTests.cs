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

    [Fact]
    public void A_pack_cut_short_is_refused_whole()
    {
        var m = ManifestSerializerTests.Sample();
        var pack = ManifestPack.Serialize(m.PoolId, [ManifestSerializer.Serialize(m), ManifestSerializer.Serialize(m with { Revision = 4 })], Now);

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

        var newer = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(pack).Replace("\"format_version\":1,\"pool_id\"", "\"format_version\":9,\"pool_id\"", StringComparison.Ordinal));
        var e = Assert.Throws<PoolException>(() => ManifestPack.Parse(newer, m.PoolId, "p"));
        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("upgrade rclonepool", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_names_are_recognised_and_never_taken_for_manifests()
    {
        var name = ManifestNames.PackName(ManifestNames.NewId());
        Assert.True(ManifestNames.IsPackName(name));
        Assert.False(ManifestNames.TryParse(name, out _, out _));
        Assert.False(ManifestNames.IsPackName(ManifestNames.ObjectName(ManifestNames.NewId(), 1)));
        Assert.False(ManifestNames.IsPackName("pack-xyz.jsonl"));
    }

    [Fact]
    public void A_new_descriptor_keeps_pool_format_1_and_format_2_is_read()
    {
        var descriptor = new PoolDescriptor { PoolId = ManifestNames.NewId(), Remote = "a:" };
        Assert.Equal(PoolDescriptor.PlainFormatVersion, descriptor.FormatVersion);
        var raised = ManifestSerializer.DeserializeDescriptor(ManifestSerializer.Serialize(descriptor with { FormatVersion = PoolDescriptor.PackedFormatVersion }), "d");
        Assert.Equal(2, raised.FormatVersion);
        Assert.Equal(PoolErrorKind.Environment, Assert.Throws<PoolException>(() => ManifestSerializer.DeserializeDescriptor(ManifestSerializer.Serialize(descriptor with { FormatVersion = 3 }), "d")).Kind);
    }
}
