using System.Diagnostics;
using RclonePool.Core.Index;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

/// <summary>Prints how long large listings take (PROPFIND of 10,000 entries is served from here); no timing assertions.</summary>
public sealed class SqlitePoolIndexListingTimeTests : IDisposable
{
    private const int Children = 10_000;
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Listing_a_directory_of_ten_thousand_children_returns_all_in_order()
    {
        var output = TestContext.Current.TestOutputHelper;
        await using var index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);

        var manifests = Enumerable.Range(0, Children)
            .Select(i => FileManifest(i % 100 == 0 ? $"/big/sub{i:D5}/inner.bin" : $"/big/file {i:D5}.mkv", Id(i + 1), size: 1000 + i))
            .Append(FileManifest("/other/x.bin", Id(Children + 1)))
            .ToList();
        var clock = Stopwatch.StartNew();
        await index.ReplaceAllAsync(manifests, Ct);
        output?.WriteLine($"replace all with {manifests.Count} manifests: {clock.Elapsed.TotalMilliseconds:F0} ms");

        clock.Restart();
        for (var i = 0; i < 200; i++)
        {
            await index.PutAsync(FileManifest($"/single/{i}.bin", Id(20_000 + i)), Ct);
        }

        output?.WriteLine($"200 single puts: {clock.Elapsed.TotalMilliseconds / 200:F2} ms each");

        var big = PoolPath.Parse("/big");
        List<IndexEntry> entries = [];
        var times = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            clock.Restart();
            entries = [];
            await foreach (var entry in index.ListAsync(big, recursive: false, Ct))
            {
                entries.Add(entry);
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        output?.WriteLine($"list {entries.Count} children of /big: first {times[0]:F1} ms, then {string.Join(", ", times.Skip(1).Select(t => t.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        Assert.Equal(Children, entries.Count);
        Assert.Equal(entries.Select(e => e.Path).Order(StringComparer.Ordinal), entries.Select(e => e.Path));
        Assert.Equal(100, entries.Count(e => e.FileId is null));

        clock.Restart();
        var all = 0;
        await foreach (var entry in index.ListAsync(PoolPath.Root, recursive: true, Ct))
        {
            all++;
        }

        output?.WriteLine($"recursive list of the root ({all} entries): {clock.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal(Children + 100 + 2 + 200 + 2, all);

        clock.Restart();
        for (var i = 0; i < 1000; i++)
        {
            Assert.NotNull(await index.GetByIdAsync(Id(i + 1), Ct));
        }

        output?.WriteLine($"get by id: {clock.Elapsed.TotalMilliseconds / 1000 * 1000:F0} µs each");
    }
}
