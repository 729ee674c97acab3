using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Unit.Support;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace RclonePool.Tests.Unit.Manifests;

/// <summary>
/// Compressed manifest packs (<c>pack-&lt;id&gt;.jsonl.zst</c>, pool format 3): one zstd frame of the plain JSON lines,
/// read back to the same records, plain packs from before still read, and a damaged frame refused whole.
/// </summary>
public sealed class ManifestPackCompressionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Gen<PackCase> Cases =
        from count in Gen.OneOf(Gen.Choose(0, 5), Gen.Choose(6, 400))
        from seed in Gen.Choose(0, int.MaxValue)
        from readSize in Gen.OneOf(Gen.Choose(1, 17), Gen.Choose(100, 5000), Gen.Constant(1 << 20))
        select new PackCase(count, seed, readSize);

    [Property(MaxTest = 40)]
    public Property A_compressed_pack_holds_the_records_of_the_plain_one_however_it_is_read() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var (poolId, records) = Records(c.Count, c.Seed);
            var plain = ManifestPack.SerializePlain(poolId, records, Now);
            var compressed = ManifestPack.Serialize(poolId, records, Now);

            Assert.True(PackCompression.IsFrame(compressed), "a new pack is a zstd frame");
            Assert.False(PackCompression.IsFrame(plain));
            Assert.Equal(plain, Decompress(compressed));

            var fromPlain = ManifestPack.Parse(plain, poolId, "plain");
            var fromCompressed = ManifestPack.Parse(compressed, poolId, "compressed");
            var streamed = ManifestPack.ReadAsync(new TrickleStream(compressed, c.ReadSize), poolId, "streamed", null, CancellationToken.None).GetAwaiter().GetResult();
            var streamedPlain = ManifestPack.ReadAsync(new TrickleStream(plain, c.ReadSize), poolId, "streamed plain", null, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var back in new[] { fromPlain, fromCompressed, streamed, streamedPlain })
            {
                Assert.Equal(records.Count, back.Count);
                Assert.All(back.Zip(records), p => Assert.Equal(p.Second.ToArray(), p.First.Bytes));
                Assert.Equal(fromPlain.Select(r => (r.FileId, r.Revision, r.IsTombstone)), back.Select(r => (r.FileId, r.Revision, r.IsTombstone)));
            }

            // What a compaction writes (a stream over the records, compressed as it is read) holds the same records.
            using var content = ManifestPack.OpenContent(poolId, records, Now);
            var written = new MemoryStream();
            content.CopyTo(written);
            Assert.Equal(content.Length, written.Length);
            Assert.Equal(plain, Decompress(written.ToArray()));
        });

    [Fact]
    public void Manifests_of_small_files_take_a_third_of_their_plain_size_or_less()
    {
        var (poolId, records) = Records(2000, seed: 5);
        var plain = ManifestPack.SerializePlain(poolId, records, Now);
        var compressed = ManifestPack.Serialize(poolId, records, Now);

        Assert.True(compressed.Length * 3 < plain.Length, $"{compressed.Length} bytes compressed for {plain.Length} plain");
    }

    [Fact]
    public async Task A_damaged_frame_is_refused_whole_as_damage()
    {
        var (poolId, records) = Records(300, seed: 7);
        var pack = ManifestPack.Serialize(poolId, records, Now);

        var flipped = (byte[])pack.Clone();
        flipped[pack.Length / 2] ^= 0x10;
        var checksumFlipped = (byte[])pack.Clone();
        checksumFlipped[^2] ^= 0x01;
        byte[] garbageAfter = [.. pack, 1, 2, 3, 4, 5];
        byte[] twoFrames = [.. pack, .. pack];
        var notAPack = ZstdFrame(System.Text.Encoding.UTF8.GetBytes("this is not a pack\n"), windowLog: 16);
        var damaged = new (string What, byte[] Bytes)[]
        {
            ("cut short", pack[..^1]),
            ("cut in half", pack[..(pack.Length / 2)]),
            ("only the magic number", pack[..4]),
            ("a flipped bit", flipped),
            ("a flipped checksum", checksumFlipped),
            ("garbage after the frame", garbageAfter),
            ("two frames", twoFrames),
            ("a frame of something else", notAPack),
        };

        foreach (var (what, bytes) in damaged)
        {
            var parsed = Assert.Throws<PoolException>(() => ManifestPack.Parse(bytes, poolId, "r1 pack-x"));
            Assert.True(parsed.Kind == PoolErrorKind.Integrity, $"{what}: {parsed.Kind} {parsed.Message}");
            Assert.Contains("r1 pack-x is damaged", parsed.Message, StringComparison.Ordinal);

            var streamed = await Assert.ThrowsAsync<PoolException>(() => ManifestPack.ReadAsync(new TrickleStream(bytes, 333), poolId, "r1 pack-x", null, CancellationToken.None));
            Assert.True(streamed.Kind == PoolErrorKind.Integrity, $"{what}: {streamed.Kind} {streamed.Message}");
            Assert.Contains("r1 pack-x is damaged", streamed.Message, StringComparison.Ordinal);
            Assert.Contains("index rebuild", streamed.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_frame_whose_window_is_larger_than_a_reader_allows_is_refused_before_its_memory_is_taken()
    {
        var (poolId, records) = Records(50, seed: 9);
        var plain = ManifestPack.SerializePlain(poolId, records, Now);

        // Written as a stream without its size, the frame names its whole window: 2^(MaxWindowLog + 2) bytes.
        var wide = ZstdFrame(plain, PackCompression.MaxWindowLog + 2);
        var e = await Assert.ThrowsAsync<PoolException>(() => ManifestPack.ReadAsync(new MemoryStream(wide), poolId, "r1 pack-w", null, CancellationToken.None));
        Assert.Equal(PoolErrorKind.Integrity, e.Kind);

        // The largest window it allows reads (a pack another zstd wrote, at its default level 3 window).
        var widest = ZstdFrame(plain, PackCompression.MaxWindowLog);
        Assert.Equal(records.Count, (await ManifestPack.ReadAsync(new MemoryStream(widest), poolId, "r1 pack-ok", null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task The_content_a_compaction_writes_starts_again_from_its_beginning_for_a_retry()
    {
        // Large enough for the pooled buffer to span several segments.
        var (poolId, records) = Records(3000, seed: 11);
        await using var content = ManifestPack.OpenContent(poolId, records, Now);
        Assert.True(content.CanSeek);
        Assert.True(content.Length > 64 * 1024, $"{content.Length} bytes");

        var first = new MemoryStream();
        var buffer = new byte[777];
        int n;
        while ((n = await content.ReadAsync(buffer)) > 0)
        {
            first.Write(buffer, 0, n);
        }

        content.Position = 0;
        var again = new MemoryStream();
        await content.CopyToAsync(again);
        Assert.Equal(first.ToArray(), again.ToArray());
        Assert.Equal(content.Length, first.Length);

        content.Position = 100_000;
        var tail = new MemoryStream();
        await content.CopyToAsync(tail);
        Assert.Equal(first.ToArray()[100_000..], tail.ToArray());

        Assert.Equal(records.Select(r => r.ToArray()), ManifestPack.Parse(first.ToArray(), poolId, "p").Select(r => r.Bytes));
    }

    /// <summary>
    /// Manifests of small inline files (random bytes in base64, as the scale bench writes) and some tombstones, as a
    /// group writer or a compaction packs them.
    /// </summary>
    private static (string PoolId, List<ReadOnlyMemory<byte>> Records) Records(int count, int seed)
    {
        var random = new Random(seed);
        var sample = ManifestSerializerTests.Sample();
        var records = new List<ReadOnlyMemory<byte>>(count);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(8) == 0)
            {
                records.Add(ManifestPack.SerializeTombstone(ManifestNames.NewId(), random.Next(1, 50), Now));
                continue;
            }

            var data = new byte[random.Next(0, 400)];
            random.NextBytes(data);
            var chunk = new ChunkEntry { Index = 0, Offset = 0, Length = data.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), BlockHashes = "AAAA", Locations = [], Inline = Convert.ToBase64String(data) };
            records.Add(ManifestSerializer.Serialize(sample with
            {
                FileId = ManifestNames.NewId(),
                Revision = random.Next(1, 9),
                Path = $"/scale/d{random.Next(10):000}/f{i:0000000}.bin",
                Size = data.Length,
                Chunks = [chunk],
                Properties = null,
            }));
        }

        return (sample.PoolId, records);
    }

    private static byte[] Decompress(byte[] frame)
    {
        using var zstd = new DecompressionStream(new MemoryStream(frame));
        var plain = new MemoryStream();
        zstd.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>A zstd frame written as a stream of unknown size, so its header names the whole window of 2^<paramref name="windowLog"/>.</summary>
    private static byte[] ZstdFrame(byte[] plain, int windowLog)
    {
        var target = new MemoryStream();
        using (var zstd = new CompressionStream(target, level: 3, leaveOpen: true))
        {
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
            zstd.Write(plain);
        }

        return target.ToArray();
    }

    private sealed record PackCase(int Count, int Seed, int ReadSize);
}
