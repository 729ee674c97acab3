using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

public sealed class SqlitePoolIndexTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SqlitePoolIndex _index = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        Assert.Empty(await _index.CheckConsistencyAsync(CancellationToken.None));
        await _index.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_put_manifest_is_found_by_path_and_by_id()
    {
        var manifest = FileManifest("/films/Amélie 2001.mkv", size: 1234);
        await _index.PutAsync(manifest, Ct);

        var byPath = await _index.GetAsync(PoolPath.Parse("/films/Amélie 2001.mkv"), Ct);
        var byId = await _index.GetByIdAsync(manifest.FileId, Ct);

        Assert.Equal(ManifestSerializer.Serialize(manifest), ManifestSerializer.Serialize(byPath!));
        Assert.Equal(ManifestSerializer.Serialize(manifest), ManifestSerializer.Serialize(byId!));
        Assert.Null(await _index.GetAsync(PoolPath.Parse("/films"), Ct));
        Assert.Null(await _index.GetByIdAsync(Id(7), Ct));
    }

    [Fact]
    public async Task A_lookup_tells_a_file_an_implied_directory_and_nothing_apart()
    {
        var manifest = FileManifest("/films/2001/a.mkv", size: 5);
        await _index.PutAsync(manifest, Ct);

        var file = await _index.LookupAsync(PoolPath.Parse("/films/2001/a.mkv"), Ct);
        Assert.True(file.Exists);
        Assert.Equal(manifest.FileId, file.Manifest!.FileId);
        Assert.Equal(new IndexLookup(null, true), await _index.LookupAsync(PoolPath.Parse("/films/2001"), Ct));
        Assert.Equal(new IndexLookup(null, true), await _index.LookupAsync(PoolPath.Root, Ct));
        Assert.Equal(new IndexLookup(null, false), await _index.LookupAsync(PoolPath.Parse("/films/2002"), Ct));
        Assert.Equal(new IndexLookup(null, false), await _index.LookupAsync(PoolPath.Parse("/films/2001/a.mkv/x"), Ct));
    }

    [Fact]
    public async Task Concurrent_puts_are_each_committed_when_they_return()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            var path = $"/many/f{i:D3}.txt";
            await _index.PutAsync(FileManifest(path, Id(1000 + i), size: i), ct);
            Assert.Equal(i, (await _index.GetAsync(PoolPath.Parse(path), ct))!.Size);
        });

        var listed = new List<string>();
        await foreach (var entry in _index.ListAsync(PoolPath.Parse("/many"), recursive: false, Ct))
        {
            listed.Add(entry.Path);
        }

        Assert.Equal(200, listed.Count);
    }

    [Fact]
    public async Task An_older_or_equal_revision_is_ignored()
    {
        var id = Id(1);
        await _index.PutAsync(FileManifest("/a.txt", id, revision: 3, size: 30), Ct);
        await _index.PutAsync(FileManifest("/a.txt", id, revision: 2, size: 20), Ct);
        await _index.PutAsync(FileManifest("/b.txt", id, revision: 3, size: 99), Ct);

        var current = await _index.GetByIdAsync(id, Ct);
        Assert.Equal(3, current!.Revision);
        Assert.Equal(30, current.Size);
        Assert.Equal("/a.txt", current.Path);
        Assert.False(await _index.ExistsAsync(PoolPath.Parse("/b.txt"), Ct));

        await _index.PutAsync(FileManifest("/a.txt", id, revision: 4, size: 40), Ct);
        Assert.Equal(40, (await _index.GetByIdAsync(id, Ct))!.Size);
    }

    [Fact]
    public async Task A_newer_revision_at_another_path_moves_the_entry()
    {
        var id = Id(1);
        await _index.PutAsync(FileManifest("/old/dir/x.bin", id, revision: 1), Ct);
        await _index.PutAsync(FileManifest("/new/y.bin", id, revision: 2), Ct);

        Assert.Null(await _index.GetAsync(PoolPath.Parse("/old/dir/x.bin"), Ct));
        Assert.Equal("/new/y.bin", (await _index.GetByIdAsync(id, Ct))!.Path);
        Assert.False(await _index.ExistsAsync(PoolPath.Parse("/old"), Ct));
        Assert.Equal(["/new"], await PathsAsync(PoolPath.Root, recursive: false));
        Assert.Equal(["/new", "/new/y.bin"], await PathsAsync(PoolPath.Root, recursive: true));
    }

    [Fact]
    public async Task At_one_path_the_later_written_entry_wins_and_the_loser_is_dropped()
    {
        var early = FileManifest("/p.txt", Id(1), revision: 5, written: BaseTime);
        var late = FileManifest("/p.txt", Id(2), revision: 1, written: BaseTime.AddMinutes(1));

        await _index.PutAsync(early, Ct);
        await _index.PutAsync(late, Ct);
        Assert.Equal(Id(2), (await _index.GetAsync(PoolPath.Parse("/p.txt"), Ct))!.FileId);
        Assert.Null(await _index.GetByIdAsync(Id(1), Ct));

        // The loser's revisions up to the one that lost stay ignored; a newer one elsewhere is taken.
        await _index.PutAsync(FileManifest("/elsewhere.txt", Id(1), revision: 4), Ct);
        Assert.Null(await _index.GetByIdAsync(Id(1), Ct));
        await _index.PutAsync(FileManifest("/elsewhere.txt", Id(1), revision: 6), Ct);
        Assert.Equal("/elsewhere.txt", (await _index.GetByIdAsync(Id(1), Ct))!.Path);
    }

    [Fact]
    public async Task An_earlier_written_entry_does_not_replace_the_one_at_its_path_and_leaves_its_old_path()
    {
        await _index.PutAsync(FileManifest("/p.txt", Id(2), revision: 1, written: BaseTime.AddMinutes(1)), Ct);
        await _index.PutAsync(FileManifest("/q/old.txt", Id(1), revision: 1, written: BaseTime), Ct);
        await _index.PutAsync(FileManifest("/p.txt", Id(1), revision: 2, written: BaseTime), Ct);

        Assert.Equal(Id(2), (await _index.GetAsync(PoolPath.Parse("/p.txt"), Ct))!.FileId);
        Assert.Null(await _index.GetByIdAsync(Id(1), Ct));
        Assert.False(await _index.ExistsAsync(PoolPath.Parse("/q"), Ct));
    }

    [Fact]
    public async Task With_equal_write_times_the_higher_revision_wins_a_path()
    {
        await _index.PutAsync(FileManifest("/p.txt", Id(1), revision: 7), Ct);
        await _index.PutAsync(FileManifest("/p.txt", Id(2), revision: 3), Ct);
        Assert.Equal(Id(1), (await _index.GetAsync(PoolPath.Parse("/p.txt"), Ct))!.FileId);
    }

    [Fact]
    public async Task Implied_directories_are_listed_and_exist()
    {
        var explicitA = DirectoryManifest("/a", Id(10));
        await _index.PutAsync(explicitA, Ct);
        await _index.PutAsync(FileManifest("/a/b/c.txt", Id(1), modified: BaseTime.AddDays(2)), Ct);
        await _index.PutAsync(FileManifest("/a/b/d.txt", Id(2), modified: BaseTime.AddDays(1)), Ct);
        await _index.PutAsync(FileManifest("/a/e.txt", Id(3)), Ct);
        await _index.PutAsync(DirectoryManifest("/empty", Id(11)), Ct);
        await _index.PutAsync(FileManifest("/a-b", Id(4)), Ct);
        await _index.PutAsync(FileManifest("/ab/z", Id(5)), Ct);

        var root = await ListAsync(PoolPath.Root, recursive: false);
        Assert.Equal(["/a", "/a-b", "/ab", "/empty"], root.Select(e => e.Path));
        Assert.Equal(explicitA.FileId, root[0].FileId);
        Assert.Equal(EntryKind.Directory, root[0].Kind);
        Assert.Equal(EntryKind.File, root[1].Kind);
        Assert.Null(root[2].FileId);

        var a = await ListAsync(PoolPath.Parse("/a"), recursive: false);
        Assert.Equal(["/a/b", "/a/e.txt"], a.Select(e => e.Path));
        var implied = a[0];
        Assert.Equal(new IndexEntry("/a/b", EntryKind.Directory, 0, BaseTime.AddDays(2), null, 0), implied);
        Assert.Equal("b", implied.Name);

        foreach (var path in (string[])["/", "/a", "/a/b", "/a/b/c.txt", "/empty", "/ab"])
        {
            Assert.True(await _index.ExistsAsync(PoolPath.Parse(path), Ct), path);
        }

        foreach (var path in (string[])["/a/b/c", "/a/x", "/b", "/a-", "/ab/z/q"])
        {
            Assert.False(await _index.ExistsAsync(PoolPath.Parse(path), Ct), path);
        }

        // Without its manifest, /a is still there as long as entries lie below it.
        await _index.RemoveAsync(explicitA.FileId, Ct);
        var rootAfter = await ListAsync(PoolPath.Root, recursive: false);
        Assert.Equal("/a", rootAfter[0].Path);
        Assert.Null(rootAfter[0].FileId);
    }

    [Fact]
    public async Task A_recursive_list_returns_all_descendants_sorted_by_path()
    {
        await _index.PutAsync(FileManifest("/m/z.txt", Id(1)), Ct);
        await _index.PutAsync(FileManifest("/m/a/b/c.txt", Id(2)), Ct);
        await _index.PutAsync(DirectoryManifest("/m/a", Id(3)), Ct);
        await _index.PutAsync(FileManifest("/m/a b.txt", Id(4)), Ct);
        await _index.PutAsync(FileManifest("/m0", Id(5)), Ct);
        await _index.PutAsync(FileManifest("/l.txt", Id(6)), Ct);

        Assert.Equal(
            ["/m/a", "/m/a b.txt", "/m/a/b", "/m/a/b/c.txt", "/m/z.txt"],
            await PathsAsync(PoolPath.Parse("/m"), recursive: true));
        Assert.Equal(
            ["/l.txt", "/m", "/m/a", "/m/a b.txt", "/m/a/b", "/m/a/b/c.txt", "/m/z.txt", "/m0"],
            await PathsAsync(PoolPath.Root, recursive: true));
        Assert.Empty(await PathsAsync(PoolPath.Parse("/m/z.txt"), recursive: true));
        Assert.Empty(await PathsAsync(PoolPath.Parse("/nothing"), recursive: false));
    }

    [Fact]
    public async Task Remove_forgets_the_file_and_directories_implied_only_by_it()
    {
        await _index.PutAsync(FileManifest("/a/b/c.txt", Id(1)), Ct);
        await _index.PutAsync(FileManifest("/a/d.txt", Id(2)), Ct);

        await _index.RemoveAsync(Id(1), Ct);
        await _index.RemoveAsync(Id(99), Ct);

        Assert.Null(await _index.GetByIdAsync(Id(1), Ct));
        Assert.False(await _index.ExistsAsync(PoolPath.Parse("/a/b"), Ct));
        Assert.True(await _index.ExistsAsync(PoolPath.Parse("/a"), Ct));
        Assert.Equal(["/a", "/a/d.txt"], await PathsAsync(PoolPath.Root, recursive: true));

        // Forgotten means forgotten: the same revision may be put again.
        await _index.PutAsync(FileManifest("/a/b/c.txt", Id(1)), Ct);
        Assert.NotNull(await _index.GetByIdAsync(Id(1), Ct));
    }

    [Fact]
    public async Task Replace_all_swaps_the_content_and_marks_the_index_populated()
    {
        Assert.False(await _index.IsPopulatedAsync(Ct));
        await _index.PutAsync(FileManifest("/old.txt", Id(1)), Ct);
        Assert.False(await _index.IsPopulatedAsync(Ct));

        await _index.ReplaceAllAsync([FileManifest("/new/1.txt", Id(2)), FileManifest("/new/2.txt", Id(3)), FileManifest("/new/1.txt", Id(2), revision: 2, size: 5)], Ct);

        Assert.True(await _index.IsPopulatedAsync(Ct));
        Assert.Null(await _index.GetByIdAsync(Id(1), Ct));
        Assert.Equal(["/new", "/new/1.txt", "/new/2.txt"], await PathsAsync(PoolPath.Root, recursive: true));
        Assert.Equal(5, (await _index.GetByIdAsync(Id(2), Ct))!.Size);

        await _index.DisposeAsync();
        _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);
        Assert.True(await _index.IsPopulatedAsync(Ct));
        Assert.Null(_index.RecreatedBecause);
    }

    [Fact]
    public async Task Replace_all_with_an_invalid_manifest_changes_nothing()
    {
        await _index.PutAsync(FileManifest("/kept.txt", Id(1)), Ct);

        var e = await Assert.ThrowsAsync<PoolException>(async () =>
            await _index.ReplaceAllAsync([FileManifest("/new.txt", Id(2)), FileManifest("relative/path", Id(3))], Ct));

        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.False(await _index.IsPopulatedAsync(Ct));
        Assert.Equal(["/kept.txt"], await PathsAsync(PoolPath.Root, recursive: true));
    }

    [Fact]
    public async Task Stored_bytes_are_summed_per_remote_over_current_manifests()
    {
        await _index.PutAsync(FileManifest("/a", Id(1), stored: [("r1:", 100), ("r2:", 100)]), Ct);
        await _index.PutAsync(FileManifest("/b", Id(2), stored: [("r2:", 50), ("r3:", 7)]), Ct);
        await _index.PutAsync(DirectoryManifest("/d", Id(3)), Ct);
        Assert.Equal(new Dictionary<string, long> { ["r1:"] = 100, ["r2:"] = 150, ["r3:"] = 7 }, await _index.StoredBytesByRemoteAsync(Ct));

        // A new revision replaces the old one's bytes; a removed file takes its bytes away.
        await _index.PutAsync(FileManifest("/a", Id(1), revision: 2, stored: [("r1:", 10), ("r3:", 10)]), Ct);
        await _index.RemoveAsync(Id(2), Ct);
        Assert.Equal(new Dictionary<string, long> { ["r1:"] = 10, ["r3:"] = 10 }, await _index.StoredBytesByRemoteAsync(Ct));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("/a/../b")]
    [InlineData("/")]
    [InlineData("/a/")]
    public async Task A_manifest_with_a_path_that_is_not_normalised_is_refused(string path)
    {
        var e = await Assert.ThrowsAsync<PoolException>(async () => await _index.PutAsync(FileManifest(path, Id(1)), Ct));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Empty(await PathsAsync(PoolPath.Root, recursive: true));
    }

    private async Task<List<IndexEntry>> ListAsync(PoolPath directory, bool recursive)
    {
        var entries = new List<IndexEntry>();
        await foreach (var entry in _index.ListAsync(directory, recursive, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private async Task<List<string>> PathsAsync(PoolPath directory, bool recursive) =>
        [.. (await ListAsync(directory, recursive)).Select(e => e.Path)];
}
