using RclonePool.Core.Index;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

public sealed class ParsedManifestCacheTests
{
    [Fact]
    public void A_manifest_is_found_only_under_its_exact_revision()
    {
        var cache = new ParsedManifestCache(1000);
        var manifest = FileManifest("/a.txt", Id(1), revision: 2, size: 10);
        cache.Add(Id(1), 2, 100, manifest, 10);

        Assert.True(cache.TryGet(Id(1), 2, 100, out var found));
        Assert.Same(manifest, found);
        Assert.False(cache.TryGet(Id(1), 3, 100, out _));
        Assert.False(cache.TryGet(Id(1), 2, 101, out _));
        Assert.False(cache.TryGet(Id(2), 2, 100, out _));
    }

    [Fact]
    public void The_least_recently_used_manifests_go_first_when_the_bound_is_passed()
    {
        var cache = new ParsedManifestCache(100);
        for (var i = 1; i <= 4; i++)
        {
            cache.Add(Id(i), 1, 0, FileManifest($"/f{i}", Id(i), revision: 1, size: i), 25);
        }

        Assert.True(cache.TryGet(Id(1), 1, 0, out _)); // now the most recently used
        cache.Add(Id(5), 1, 0, FileManifest("/f5", Id(5), revision: 1, size: 5), 25);

        Assert.Equal(100, cache.Bytes);
        Assert.Equal(4, cache.Count);
        Assert.True(cache.TryGet(Id(1), 1, 0, out _));
        Assert.False(cache.TryGet(Id(2), 1, 0, out _));
        Assert.True(cache.TryGet(Id(5), 1, 0, out _));
    }

    [Fact]
    public void A_manifest_larger_than_a_quarter_of_the_bound_is_not_kept()
    {
        var cache = new ParsedManifestCache(100);
        cache.Add(Id(1), 1, 0, FileManifest("/big", Id(1), revision: 1, size: 1), 26);

        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet(Id(1), 1, 0, out _));
    }

    [Fact]
    public async Task The_index_serves_a_new_revision_as_soon_as_it_is_put()
    {
        using var temp = new TempDirectory();
        await using var index = await SqlitePoolIndex.OpenAsync(temp.File("pool.sqlite"), cancellationToken: TestContext.Current.CancellationToken);
        var path = PoolPath.Parse("/a.txt");
        await index.PutAsync(FileManifest("/a.txt", Id(1), revision: 1, size: 10), TestContext.Current.CancellationToken);
        var first = await index.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Same(first, await index.GetAsync(path, TestContext.Current.CancellationToken));
        Assert.Same(first, await index.GetByIdAsync(Id(1), TestContext.Current.CancellationToken));

        await index.PutAsync(FileManifest("/a.txt", Id(1), revision: 2, size: 20), TestContext.Current.CancellationToken);
        var second = await index.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(2, second!.Revision);
        Assert.Equal(20, second.Size);
        await index.RemoveAsync(Id(1), TestContext.Current.CancellationToken);
        Assert.Null(await index.GetAsync(path, TestContext.Current.CancellationToken));
    }
}
