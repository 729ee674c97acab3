using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

/// <summary><see cref="StoragePool.MkdirAllAsync"/>: a directory tree made at once, as 'upload DIR' makes its directories.</summary>
public sealed class MkdirAllTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static PoolPath P(string path) => PoolPath.Parse(path);

    /// <summary>A tree of 10 x 10 leaves below /t: 111 directories with /t and the 10 in between.</summary>
    private static List<PoolPath> Tree() => [.. Enumerable.Range(0, 10).SelectMany(i => Enumerable.Range(0, 10).Select(j => P($"/t/d{i}/e{j}")))];

    [Fact]
    public async Task Every_directory_and_every_missing_parent_becomes_a_durable_directory_object()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using (var test = await TestPool.CreateAsync(store))
        {
            await test.Pool.MkdirAllAsync(Tree(), None);
            foreach (var path in Tree().Concat([P("/t"), P("/t/d3")]))
            {
                Assert.Equal(EntryKind.Directory, (await test.Pool.GetManifestAsync(path, None))?.Kind);
            }
        }

        // A pool opened afresh rebuilds its index from the remotes: the manifests are there, not only in the index.
        await using var reopened = await TestPool.CreateAsync(store);
        Assert.Equal(EntryKind.Directory, (await reopened.Pool.GetManifestAsync(P("/t/d9/e9"), None))?.Kind);
        Assert.Equal(EntryKind.Directory, (await reopened.Pool.GetManifestAsync(P("/t/d0"), None))?.Kind);
    }

    [Fact]
    public async Task The_manifests_of_a_tree_share_packs_instead_of_one_object_per_directory()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, c => c.ManifestPacking = true);
        await test.Pool.MkdirAllAsync(Tree(), None);

        foreach (var remote in new[] { "a:", "b:", "c:" })
        {
            // 111 directory manifests; written one depth at a time they took at least one object per depth and, within
            // a depth, one per call in flight. Together they need only a few.
            var objects = store.Keys(remote, "rclonepool_manifests").Count();
            Assert.InRange(objects, 1, 20);
        }
    }

    [Fact]
    public async Task What_exists_is_left_alone_and_a_second_call_writes_nothing()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        await test.Pool.MkdirAsync(P("/t"), None);
        await test.Pool.PutAsync(P("/t/d1/file"), new MemoryStream([1, 2, 3]), 3, PutOptions.Default, None);
        var own = await test.Pool.GetManifestAsync(P("/t"), None);

        await test.Pool.MkdirAllAsync(Tree(), None);

        var after = await test.Pool.GetManifestAsync(P("/t"), None);
        Assert.Equal((own!.FileId, own.Revision), (after!.FileId, after.Revision));
        Assert.Null(await test.Pool.GetManifestAsync(P("/t/d1"), None)); // implied by the file below it: as mkdir -p leaves it
        Assert.True((await test.Pool.StatAsync(P("/t/d1"), None))!.IsDirectory);
        Assert.Equal(EntryKind.Directory, (await test.Pool.GetManifestAsync(P("/t/d1/e1"), None))?.Kind);

        var writes = store.Writes;
        await test.Pool.MkdirAllAsync(Tree(), None);
        Assert.Equal(writes, store.Writes);
    }

    [Theory]
    [InlineData("/t/d2")]
    [InlineData("/t/d2/e5")]
    public async Task A_file_at_or_above_a_directory_is_refused_before_anything_is_written(string file)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        await test.Pool.PutAsync(P(file), new MemoryStream([1]), 1, PutOptions.Default, None);
        var writes = store.Writes;

        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.MkdirAllAsync(Tree(), None));

        Assert.Equal(PoolErrorKind.Conflict, e.Kind);
        Assert.Contains(file + " is a file", e.Message, StringComparison.Ordinal);
        Assert.Equal(writes, store.Writes);
        Assert.Null(await test.Pool.GetManifestAsync(P("/t/d0/e0"), None));
    }
}
