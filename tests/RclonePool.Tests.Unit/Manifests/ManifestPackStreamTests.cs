using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Manifests;

/// <summary>Packs read as streams line by line (a survey never holds a pack whole) and written from a stream of their records.</summary>
public sealed class ManifestPackStreamTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(100_000, true)]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(100_000, false)]
    public async Task A_streamed_pack_reads_the_same_records_as_a_parsed_one_however_its_reads_are_cut(int readSize, bool compressed)
    {
        var (poolId, pack, records) = SamplePack(300, compressed);

        await using var stream = new TrickleStream(pack, readSize);
        var back = await ManifestPack.ReadAsync(stream, poolId, "p", null, CancellationToken.None);

        var parsed = ManifestPack.Parse(pack, poolId, "p");
        Assert.Equal(parsed.Select(r => (r.FileId, r.Revision, r.IsTombstone)), back.Select(r => (r.FileId, r.Revision, r.IsTombstone)));
        Assert.All(back.Zip(records), p => Assert.Equal(p.Second, p.First.Bytes));
    }

    [Fact]
    public async Task The_factory_decides_each_record_so_identical_copies_can_share_one()
    {
        var (poolId, pack, _) = SamplePack(10);
        var shared = new Dictionary<(string, long, bool), PackRecord>();
        PackRecord Share(string fileId, long revision, bool tombstone, ReadOnlySpan<byte> line)
        {
            var key = (fileId, revision, tombstone);
            return shared.TryGetValue(key, out var known) && known.Bytes.AsSpan().SequenceEqual(line) ? known : shared[key] = new PackRecord(fileId, revision, tombstone, line.ToArray());
        }

        var first = await ManifestPack.ReadAsync(new TrickleStream(pack, 13), poolId, "a", Share, CancellationToken.None);
        var second = await ManifestPack.ReadAsync(new TrickleStream(pack, 64), poolId, "b", Share, CancellationToken.None);

        Assert.Equal(10, second.Count);
        Assert.All(first.Zip(second), p => Assert.Same(p.First, p.Second));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_streamed_pack_cut_short_or_of_another_pool_is_refused_whole(bool compressed)
    {
        var (poolId, pack, _) = SamplePack(3, compressed);
        foreach (var cut in new[] { pack.Length - 1, pack.Length - 20, Array.IndexOf(pack, (byte)'\n') + 1, 10, 0 })
        {
            var e = await Assert.ThrowsAsync<PoolException>(() => ManifestPack.ReadAsync(new TrickleStream(pack[..cut], 5), poolId, "remote pack-x", null, CancellationToken.None));
            Assert.Equal(PoolErrorKind.Integrity, e.Kind);
            Assert.Contains("remote pack-x is damaged", e.Message, StringComparison.Ordinal);
        }

        var other = await Assert.ThrowsAsync<PoolException>(() => ManifestPack.ReadAsync(new MemoryStream(pack), ManifestNames.NewId(), "p", null, CancellationToken.None));
        Assert.Contains("belongs to pool", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_written_from_its_records_as_a_stream_is_the_serialized_pack_and_can_start_again()
    {
        var (poolId, _, records) = SamplePack(50);
        var memories = records.Select(r => (ReadOnlyMemory<byte>)r).ToList();

        // The same frame as the one-shot compression of the same lines (both know the size; the same parameters).
        var expected = ManifestPack.Serialize(poolId, memories, Now);

        await using var content = ManifestPack.OpenContent(poolId, memories, Now);
        Assert.Equal(expected.Length, content.Length);
        var first = new MemoryStream();
        var buffer = new byte[333];
        int n;
        while ((n = await content.ReadAsync(buffer)) > 0)
        {
            first.Write(buffer, 0, n);
        }

        Assert.Equal(expected, first.ToArray());

        // A retried write seeks back: to the start, or into the middle.
        content.Position = 0;
        var again = new MemoryStream();
        await content.CopyToAsync(again);
        Assert.Equal(expected, again.ToArray());
        content.Position = expected.Length / 2;
        var tail = new MemoryStream();
        await content.CopyToAsync(tail);
        Assert.Equal(expected[(expected.Length / 2)..], tail.ToArray());

        Assert.Throws<ArgumentException>(() => ManifestPack.OpenContent(poolId, [new byte[] { (byte)'{', (byte)'\n', (byte)'}' }], Now));
    }

    private static (string PoolId, byte[] Pack, List<byte[]> Records) SamplePack(int count, bool compressed = true)
    {
        var m = ManifestSerializerTests.Sample();
        var records = Enumerable.Range(1, count)
            .Select(r => r % 10 == 0 ? ManifestPack.SerializeTombstone(m.FileId, r, Now) : ManifestSerializer.Serialize(m with { Revision = r, Path = $"/d/f{r}" }))
            .ToList();
        ReadOnlyMemory<byte>[] lines = [.. records.Select(r => (ReadOnlyMemory<byte>)r)];
        return (m.PoolId, compressed ? ManifestPack.Serialize(m.PoolId, lines, Now) : ManifestPack.SerializePlain(m.PoolId, lines, Now), records);
    }
}
