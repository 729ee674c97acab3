using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Support.Index;

/// <summary>
/// What every <see cref="IPoolIndex"/> must do, written against the interface alone: lookups, listings, revisions,
/// removal, replace-all, the populated flag, stored bytes, the pool's totals, duplicate candidates, concurrent puts and disposal. Each test
/// starts from a new, empty index.
/// </summary>
/// <remarks>
/// To run it against another index (e.g. PostgreSQL): derive a sealed <c>XPoolIndexContractTests : PoolIndexContract</c>
/// in the test project that can reach the index's store (tests/RclonePool.Tests.Unit for files, tests/RclonePool.Tests.Integration
/// for a server), give it an empty index in <see cref="CreateAsync"/> and the same one opened anew in
/// <see cref="OpenAgainAsync"/>, and, when the index can check itself, assert that in <see cref="CheckAsync"/>. Put the
/// index's own behaviour (recovery, its storage format) in a test class of its own, not here.
/// </remarks>
public abstract class PoolIndexContract : IAsyncLifetime
{
    private IPoolIndex? _index;

    protected IPoolIndex Index => _index ?? throw new InvalidOperationException("The index is not open.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty index for one test.</summary>
    protected abstract ValueTask<IPoolIndex> CreateAsync(CancellationToken cancellationToken);

    /// <summary>The index of this test opened again, after the previous instance was disposed (what a restart sees).</summary>
    protected abstract ValueTask<IPoolIndex> OpenAgainAsync(CancellationToken cancellationToken);

    /// <summary>After each test, before disposal: the implementation's own consistency checks, if it has any.</summary>
    protected virtual ValueTask CheckAsync(IPoolIndex index) => ValueTask.CompletedTask;

    /// <summary>After each test, after disposal: removes what <see cref="CreateAsync"/> made.</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync() => _index = await CreateAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_index is not null)
            {
                try
                {
                    await CheckAsync(_index);
                }
                finally
                {
                    await _index.DisposeAsync();
                }
            }
        }
        finally
        {
            await CleanUpAsync();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Disposes the index and opens it again.</summary>
    protected async Task ReopenAsync()
    {
        await Index.DisposeAsync();
        _index = null;
        _index = await OpenAgainAsync(Ct);
    }

    [Fact]
    public async Task A_put_manifest_is_found_by_path_and_by_id()
    {
        var manifest = FileManifest("/films/Amélie 2001.mkv", size: 1234);
        await Index.PutAsync(manifest, Ct);

        var byPath = await Index.GetAsync(PoolPath.Parse("/films/Amélie 2001.mkv"), Ct);
        var byId = await Index.GetByIdAsync(manifest.FileId, Ct);

        Assert.Equal(ManifestSerializer.Serialize(manifest), ManifestSerializer.Serialize(byPath!));
        Assert.Equal(ManifestSerializer.Serialize(manifest), ManifestSerializer.Serialize(byId!));
        Assert.Null(await Index.GetAsync(PoolPath.Parse("/films"), Ct));
        Assert.Null(await Index.GetByIdAsync(Id(7), Ct));
    }

    [Fact]
    public async Task A_lookup_tells_a_file_an_implied_directory_and_nothing_apart()
    {
        var manifest = FileManifest("/films/2001/a.mkv", size: 5);
        await Index.PutAsync(manifest, Ct);

        var file = await Index.LookupAsync(PoolPath.Parse("/films/2001/a.mkv"), Ct);
        Assert.True(file.Exists);
        Assert.Equal(manifest.FileId, file.Manifest!.FileId);
        Assert.Equal(new IndexLookup(null, true), await Index.LookupAsync(PoolPath.Parse("/films/2001"), Ct));
        Assert.Equal(new IndexLookup(null, true), await Index.LookupAsync(PoolPath.Root, Ct));
        Assert.Equal(new IndexLookup(null, false), await Index.LookupAsync(PoolPath.Parse("/films/2002"), Ct));
        Assert.Equal(new IndexLookup(null, false), await Index.LookupAsync(PoolPath.Parse("/films/2001/a.mkv/x"), Ct));
    }

    [Fact]
    public async Task Concurrent_puts_are_each_committed_when_they_return()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            var path = $"/many/f{i:D3}.txt";
            await Index.PutAsync(FileManifest(path, Id(1000 + i), size: i), ct);
            Assert.Equal(i, (await Index.GetAsync(PoolPath.Parse(path), ct))!.Size);
        });

        var listed = new List<string>();
        await foreach (var entry in Index.ListAsync(PoolPath.Parse("/many"), recursive: false, Ct))
        {
            listed.Add(entry.Path);
        }

        Assert.Equal(200, listed.Count);
    }

    [Fact]
    public async Task An_older_or_equal_revision_is_ignored()
    {
        var id = Id(1);
        await Index.PutAsync(FileManifest("/a.txt", id, revision: 3, size: 30), Ct);
        await Index.PutAsync(FileManifest("/a.txt", id, revision: 2, size: 20), Ct);
        await Index.PutAsync(FileManifest("/b.txt", id, revision: 3, size: 99), Ct);

        var current = await Index.GetByIdAsync(id, Ct);
        Assert.Equal(3, current!.Revision);
        Assert.Equal(30, current.Size);
        Assert.Equal("/a.txt", current.Path);
        Assert.False(await Index.ExistsAsync(PoolPath.Parse("/b.txt"), Ct));

        await Index.PutAsync(FileManifest("/a.txt", id, revision: 4, size: 40), Ct);
        Assert.Equal(40, (await Index.GetByIdAsync(id, Ct))!.Size);
    }

    [Fact]
    public async Task A_newer_revision_at_another_path_moves_the_entry()
    {
        var id = Id(1);
        await Index.PutAsync(FileManifest("/old/dir/x.bin", id, revision: 1), Ct);
        await Index.PutAsync(FileManifest("/new/y.bin", id, revision: 2), Ct);

        Assert.Null(await Index.GetAsync(PoolPath.Parse("/old/dir/x.bin"), Ct));
        Assert.Equal("/new/y.bin", (await Index.GetByIdAsync(id, Ct))!.Path);
        Assert.False(await Index.ExistsAsync(PoolPath.Parse("/old"), Ct));
        Assert.Equal(["/new"], await PathsAsync(PoolPath.Root, recursive: false));
        Assert.Equal(["/new", "/new/y.bin"], await PathsAsync(PoolPath.Root, recursive: true));
    }

    [Fact]
    public async Task At_one_path_the_later_written_entry_wins_and_the_loser_is_dropped()
    {
        var early = FileManifest("/p.txt", Id(1), revision: 5, written: BaseTime);
        var late = FileManifest("/p.txt", Id(2), revision: 1, written: BaseTime.AddMinutes(1));

        await Index.PutAsync(early, Ct);
        await Index.PutAsync(late, Ct);
        Assert.Equal(Id(2), (await Index.GetAsync(PoolPath.Parse("/p.txt"), Ct))!.FileId);
        Assert.Null(await Index.GetByIdAsync(Id(1), Ct));

        // The loser's revisions up to the one that lost stay ignored; a newer one elsewhere is taken.
        await Index.PutAsync(FileManifest("/elsewhere.txt", Id(1), revision: 4), Ct);
        Assert.Null(await Index.GetByIdAsync(Id(1), Ct));
        await Index.PutAsync(FileManifest("/elsewhere.txt", Id(1), revision: 6), Ct);
        Assert.Equal("/elsewhere.txt", (await Index.GetByIdAsync(Id(1), Ct))!.Path);
    }

    [Fact]
    public async Task An_earlier_written_entry_does_not_replace_the_one_at_its_path_and_leaves_its_old_path()
    {
        await Index.PutAsync(FileManifest("/p.txt", Id(2), revision: 1, written: BaseTime.AddMinutes(1)), Ct);
        await Index.PutAsync(FileManifest("/q/old.txt", Id(1), revision: 1, written: BaseTime), Ct);
        await Index.PutAsync(FileManifest("/p.txt", Id(1), revision: 2, written: BaseTime), Ct);

        Assert.Equal(Id(2), (await Index.GetAsync(PoolPath.Parse("/p.txt"), Ct))!.FileId);
        Assert.Null(await Index.GetByIdAsync(Id(1), Ct));
        Assert.False(await Index.ExistsAsync(PoolPath.Parse("/q"), Ct));
    }

    [Fact]
    public async Task With_equal_write_times_the_higher_revision_wins_a_path()
    {
        await Index.PutAsync(FileManifest("/p.txt", Id(1), revision: 7), Ct);
        await Index.PutAsync(FileManifest("/p.txt", Id(2), revision: 3), Ct);
        Assert.Equal(Id(1), (await Index.GetAsync(PoolPath.Parse("/p.txt"), Ct))!.FileId);
    }

    [Fact]
    public async Task Implied_directories_are_listed_and_exist()
    {
        var explicitA = DirectoryManifest("/a", Id(10));
        await Index.PutAsync(explicitA, Ct);
        await Index.PutAsync(FileManifest("/a/b/c.txt", Id(1), modified: BaseTime.AddDays(2)), Ct);
        await Index.PutAsync(FileManifest("/a/b/d.txt", Id(2), modified: BaseTime.AddDays(1)), Ct);
        await Index.PutAsync(FileManifest("/a/e.txt", Id(3)), Ct);
        await Index.PutAsync(DirectoryManifest("/empty", Id(11)), Ct);
        await Index.PutAsync(FileManifest("/a-b", Id(4)), Ct);
        await Index.PutAsync(FileManifest("/ab/z", Id(5)), Ct);

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
            Assert.True(await Index.ExistsAsync(PoolPath.Parse(path), Ct), path);
        }

        foreach (var path in (string[])["/a/b/c", "/a/x", "/b", "/a-", "/ab/z/q"])
        {
            Assert.False(await Index.ExistsAsync(PoolPath.Parse(path), Ct), path);
        }

        // Without its manifest, /a is still there as long as entries lie below it.
        await Index.RemoveAsync(explicitA.FileId, Ct);
        var rootAfter = await ListAsync(PoolPath.Root, recursive: false);
        Assert.Equal("/a", rootAfter[0].Path);
        Assert.Null(rootAfter[0].FileId);
    }

    [Fact]
    public async Task A_recursive_list_returns_all_descendants_sorted_by_path()
    {
        await Index.PutAsync(FileManifest("/m/z.txt", Id(1)), Ct);
        await Index.PutAsync(FileManifest("/m/a/b/c.txt", Id(2)), Ct);
        await Index.PutAsync(DirectoryManifest("/m/a", Id(3)), Ct);
        await Index.PutAsync(FileManifest("/m/a b.txt", Id(4)), Ct);
        await Index.PutAsync(FileManifest("/m0", Id(5)), Ct);
        await Index.PutAsync(FileManifest("/l.txt", Id(6)), Ct);

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
        await Index.PutAsync(FileManifest("/a/b/c.txt", Id(1)), Ct);
        await Index.PutAsync(FileManifest("/a/d.txt", Id(2)), Ct);

        await Index.RemoveAsync(Id(1), Ct);
        await Index.RemoveAsync(Id(99), Ct);

        Assert.Null(await Index.GetByIdAsync(Id(1), Ct));
        Assert.False(await Index.ExistsAsync(PoolPath.Parse("/a/b"), Ct));
        Assert.True(await Index.ExistsAsync(PoolPath.Parse("/a"), Ct));
        Assert.Equal(["/a", "/a/d.txt"], await PathsAsync(PoolPath.Root, recursive: true));

        // Forgotten means forgotten: the same revision may be put again.
        await Index.PutAsync(FileManifest("/a/b/c.txt", Id(1)), Ct);
        Assert.NotNull(await Index.GetByIdAsync(Id(1), Ct));
    }

    [Fact]
    public async Task Replace_all_swaps_the_content_and_marks_theIndex_populated()
    {
        Assert.False(await Index.IsPopulatedAsync(Ct));
        await Index.PutAsync(FileManifest("/old.txt", Id(1)), Ct);
        Assert.False(await Index.IsPopulatedAsync(Ct));

        await Index.ReplaceAllAsync([FileManifest("/new/1.txt", Id(2)), FileManifest("/new/2.txt", Id(3)), FileManifest("/new/1.txt", Id(2), revision: 2, size: 5)], Ct);

        Assert.True(await Index.IsPopulatedAsync(Ct));
        Assert.Null(await Index.GetByIdAsync(Id(1), Ct));
        Assert.Equal(["/new", "/new/1.txt", "/new/2.txt"], await PathsAsync(PoolPath.Root, recursive: true));
        Assert.Equal(5, (await Index.GetByIdAsync(Id(2), Ct))!.Size);

        await ReopenAsync();
        Assert.True(await Index.IsPopulatedAsync(Ct));
        Assert.Equal(["/new", "/new/1.txt", "/new/2.txt"], await PathsAsync(PoolPath.Root, recursive: true));
    }

    [Fact]
    public async Task Replace_all_with_an_invalid_manifest_changes_nothing()
    {
        await Index.PutAsync(FileManifest("/kept.txt", Id(1)), Ct);

        var e = await Assert.ThrowsAsync<PoolException>(async () =>
            await Index.ReplaceAllAsync([FileManifest("/new.txt", Id(2)), FileManifest("relative/path", Id(3))], Ct));

        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.False(await Index.IsPopulatedAsync(Ct));
        Assert.Equal(["/kept.txt"], await PathsAsync(PoolPath.Root, recursive: true));
    }

    [Fact]
    public async Task Stored_bytes_are_summed_per_remote_over_current_manifests()
    {
        await Index.PutAsync(FileManifest("/a", Id(1), stored: [("r1:", 100), ("r2:", 100)]), Ct);
        await Index.PutAsync(FileManifest("/b", Id(2), stored: [("r2:", 50), ("r3:", 7)]), Ct);
        await Index.PutAsync(DirectoryManifest("/d", Id(3)), Ct);
        Assert.Equal(new Dictionary<string, long> { ["r1:"] = 100, ["r2:"] = 150, ["r3:"] = 7 }, await Index.StoredBytesByRemoteAsync(Ct));

        // A new revision replaces the old one's bytes; a removed file takes its bytes away.
        await Index.PutAsync(FileManifest("/a", Id(1), revision: 2, stored: [("r1:", 10), ("r3:", 10)]), Ct);
        await Index.RemoveAsync(Id(2), Ct);
        Assert.Equal(new Dictionary<string, long> { ["r1:"] = 10, ["r3:"] = 10 }, await Index.StoredBytesByRemoteAsync(Ct));
    }

    [Fact]
    public async Task The_totals_of_an_empty_index_are_zero()
    {
        var totals = await Index.TotalsAsync(Ct);

        Assert.Equal((0L, 0L, 0L), (totals.Files, totals.Directories, totals.Bytes));
        Assert.Empty(totals.Remotes);
    }

    [Fact]
    public async Task Totals_count_files_directories_bytes_and_objects_per_remote()
    {
        await Index.PutAsync(FileManifest("/films/2001/a.mkv", Id(1), size: 100, stored: [("r1:", 60), ("r2:", 60)]), Ct);
        await Index.PutAsync(FileManifest("/films/b.mkv", Id(2), size: 30, stored: [("r2:", 10), ("r2:", 10), ("r3:", 10)]), Ct);
        await Index.PutAsync(DirectoryManifest("/films", Id(3)), Ct);
        await Index.PutAsync(DirectoryManifest("/empty", Id(4)), Ct);
        await Index.PutAsync(FileManifest("/zero", Id(5), size: 0), Ct);

        var totals = await Index.TotalsAsync(Ct);

        Assert.Equal((3L, 3L, 130L), (totals.Files, totals.Directories, totals.Bytes)); // /empty, /films, /films/2001
        Assert.Equal(
            new Dictionary<string, RemoteTotals> { ["r1:"] = new(1, 60), ["r2:"] = new(3, 80), ["r3:"] = new(1, 10) },
            totals.Remotes);
        await AssertTotalsMatchARecountAsync();
    }

    [Fact]
    public async Task An_overwrite_replaces_the_old_revision_in_the_totals()
    {
        await Index.PutAsync(FileManifest("/a.bin", Id(1), size: 100, stored: [("r1:", 100), ("r2:", 100)]), Ct);

        await Index.PutAsync(FileManifest("/a.bin", Id(1), revision: 2, size: 40, stored: [("r3:", 20), ("r3:", 20)]), Ct);

        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((1L, 0L, 40L), (totals.Files, totals.Directories, totals.Bytes));
        Assert.Equal(new Dictionary<string, RemoteTotals> { ["r3:"] = new(2, 40) }, totals.Remotes);

        // An older revision arriving late changes nothing.
        await Index.PutAsync(FileManifest("/a.bin", Id(1), revision: 1, size: 100, stored: [("r1:", 100)]), Ct);
        Assert.Equal(40, (await Index.TotalsAsync(Ct)).Bytes);
        await AssertTotalsMatchARecountAsync();
    }

    [Fact]
    public async Task A_rename_moves_the_implied_directories_in_the_totals()
    {
        await Index.PutAsync(FileManifest("/old/deep/x.bin", Id(1), size: 10), Ct);
        await Index.PutAsync(FileManifest("/kept/y.bin", Id(2), size: 5), Ct);
        Assert.Equal(3, (await Index.TotalsAsync(Ct)).Directories);

        await Index.PutAsync(FileManifest("/new/x.bin", Id(1), revision: 2, size: 10), Ct);

        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((2L, 2L, 15L), (totals.Files, totals.Directories, totals.Bytes)); // /kept, /new
        Assert.Equal(new Dictionary<string, RemoteTotals> { ["r1:"] = new(2, 15) }, totals.Remotes);
        await AssertTotalsMatchARecountAsync();
    }

    [Fact]
    public async Task A_removed_file_leaves_the_totals_with_what_it_held()
    {
        await Index.PutAsync(FileManifest("/a/b/c.txt", Id(1), size: 10, stored: [("r1:", 10), ("r2:", 10)]), Ct);
        await Index.PutAsync(FileManifest("/a/d.txt", Id(2), size: 20, stored: [("r1:", 20)]), Ct);
        await Index.PutAsync(DirectoryManifest("/a/b", Id(3)), Ct);

        await Index.RemoveAsync(Id(1), Ct);
        await Index.RemoveAsync(Id(99), Ct);

        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((1L, 2L, 20L), (totals.Files, totals.Directories, totals.Bytes)); // /a, and /a/b by its manifest
        Assert.Equal(new Dictionary<string, RemoteTotals> { ["r1:"] = new(1, 20) }, totals.Remotes);

        await Index.RemoveAsync(Id(3), Ct);
        await Index.RemoveAsync(Id(2), Ct);
        totals = await Index.TotalsAsync(Ct);
        Assert.Equal((0L, 0L, 0L), (totals.Files, totals.Directories, totals.Bytes));
        Assert.Empty(totals.Remotes);
    }

    [Fact]
    public async Task Objects_shared_by_duplicate_files_count_once_per_file_naming_them()
    {
        var content = new string('a', 64);
        var original = FileManifest("/one.bin", Id(1), size: 50, sha256: content, stored: [("r1:", 50), ("r2:", 50)]);
        await Index.PutAsync(original, Ct);
        await Index.PutAsync(original with { FileId = Id(2), Path = "/copies/two.bin" }, Ct);

        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((2L, 1L, 100L), (totals.Files, totals.Directories, totals.Bytes));
        Assert.Equal(new Dictionary<string, RemoteTotals> { ["r1:"] = new(2, 100), ["r2:"] = new(2, 100) }, totals.Remotes);

        await Index.RemoveAsync(Id(1), Ct);
        Assert.Equal(new Dictionary<string, RemoteTotals> { ["r1:"] = new(1, 50), ["r2:"] = new(1, 50) }, (await Index.TotalsAsync(Ct)).Remotes);
        await AssertTotalsMatchARecountAsync();
    }

    [Fact]
    public async Task A_file_and_a_directory_at_one_path_count_as_what_the_listing_shows()
    {
        // A file below /x implies the directory /x; a file at /x then shows /x as a file, and a directory manifest as one directory.
        await Index.PutAsync(FileManifest("/x/inner.txt", Id(1), size: 1), Ct);
        await Index.PutAsync(FileManifest("/x", Id(2), size: 2), Ct);
        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((2L, 0L), (totals.Files, totals.Directories));
        await AssertTotalsMatchARecountAsync();

        await Index.PutAsync(DirectoryManifest("/x", Id(3), revision: 1), Ct); // loses or wins the path by write time, as any put
        await AssertTotalsMatchARecountAsync();
        await Index.RemoveAsync(Id(1), Ct);
        await AssertTotalsMatchARecountAsync();
    }

    [Fact]
    public async Task Replace_all_resets_the_totals_to_the_new_content_and_they_survive_reopening()
    {
        await Index.PutAsync(FileManifest("/old/a.txt", Id(1), size: 1000, stored: [("r9:", 1000)]), Ct);

        await Index.ReplaceAllAsync(
            [FileManifest("/new/1.txt", Id(2), size: 10), FileManifest("/new/sub/2.txt", Id(3), size: 20, stored: [("r2:", 20)]), DirectoryManifest("/d", Id(4))],
            Ct);

        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((2L, 3L, 30L), (totals.Files, totals.Directories, totals.Bytes));
        Assert.Equal(new Dictionary<string, RemoteTotals> { ["r1:"] = new(1, 10), ["r2:"] = new(1, 20) }, totals.Remotes);

        await ReopenAsync();
        var reopened = await Index.TotalsAsync(Ct);
        Assert.Equal((totals.Files, totals.Directories, totals.Bytes), (reopened.Files, reopened.Directories, reopened.Bytes));
        Assert.Equal(totals.Remotes, reopened.Remotes);
    }

    [Fact]
    public async Task Totals_match_a_recount_after_any_sequence_of_puts_renames_and_removes()
    {
        var random = new Random(19);
        string[] folders = ["/a", "/a/b", "/a/b/c", "/d", "/d/e", "/"];
        var revisions = new Dictionary<int, long>();
        for (var step = 0; step < 400; step++)
        {
            var file = random.Next(40);
            var revision = revisions.GetValueOrDefault(file) + 1;
            var folder = folders[random.Next(folders.Length)];
            var path = (folder == "/" ? string.Empty : folder) + $"/f{random.Next(12)}";
            switch (random.Next(10))
            {
                case < 6:
                    var stored = Enumerable.Range(0, random.Next(0, 4)).Select(_ => ($"r{random.Next(5)}:", (long)random.Next(1, 500))).ToList();
                    await Index.PutAsync(FileManifest(path, Id(file), revision, size: random.Next(0, 1000), written: BaseTime.AddSeconds(step), stored: stored.Count == 0 ? null : stored), Ct);
                    break;
                case < 8:
                    await Index.PutAsync(DirectoryManifest(path, Id(file), revision), Ct);
                    break;
                default:
                    await Index.RemoveAsync(Id(file), Ct);
                    break;
            }

            revisions[file] = revision;
            if (step % 50 == 49)
            {
                await AssertTotalsMatchARecountAsync();
            }
        }

        await AssertTotalsMatchARecountAsync();
    }

    /// <summary>Counts the index the slow way (a recursive listing and every current manifest) and compares with <see cref="IPoolIndex.TotalsAsync"/>.</summary>
    protected async Task AssertTotalsMatchARecountAsync()
    {
        long files = 0, directories = 0, bytes = 0;
        var remotes = new Dictionary<string, RemoteTotals>(StringComparer.Ordinal);
        foreach (var entry in await ListAsync(PoolPath.Root, recursive: true))
        {
            if (entry.Kind == EntryKind.Directory)
            {
                directories++;
                continue;
            }

            files++;
            bytes += entry.Size;
            var manifest = await Index.GetAsync(PoolPath.Parse(entry.Path), Ct);
            foreach (var location in manifest!.Chunks.SelectMany(c => c.Locations))
            {
                var (objects, stored) = remotes.GetValueOrDefault(location.Remote);
                remotes[location.Remote] = new RemoteTotals(objects + 1, stored + location.StoredLength);
            }
        }

        var totals = await Index.TotalsAsync(Ct);
        Assert.Equal((files, directories, bytes), (totals.Files, totals.Directories, totals.Bytes));
        Assert.Equal(remotes, totals.Remotes);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("/a/../b")]
    [InlineData("/")]
    [InlineData("/a/")]
    public async Task A_manifest_with_a_path_that_is_not_normalised_is_refused(string path)
    {
        var e = await Assert.ThrowsAsync<PoolException>(async () => await Index.PutAsync(FileManifest(path, Id(1)), Ct));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Empty(await PathsAsync(PoolPath.Root, recursive: true));
    }

    [Fact]
    public async Task Concurrent_puts_each_learn_their_own_outcome()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var path = i % 3 == 0 ? $"relative/f{i}" : $"/mixed/f{i:D2}.txt";
            try
            {
                await Index.PutAsync(FileManifest(path, Id(2000 + i), size: i), Ct);
                return (i, Error: (PoolErrorKind?)null);
            }
            catch (PoolException e)
            {
                return (i, Error: e.Kind);
            }
        }));

        Assert.All(results, r => Assert.Equal(r.i % 3 == 0 ? PoolErrorKind.BadInput : null, r.Error));
        Assert.Equal(
            [.. Enumerable.Range(0, 60).Where(i => i % 3 != 0).Select(i => $"/mixed/f{i:D2}.txt")],
            await PathsAsync(PoolPath.Parse("/mixed"), recursive: false));
    }

    [Fact]
    public async Task Any_file_of_size_sees_current_files_only()
    {
        var id = Id(1);
        await Index.PutAsync(FileManifest("/a.bin", id, size: 1234), Ct);
        await Index.PutAsync(DirectoryManifest("/dir", Id(2)), Ct);

        Assert.True(await Index.AnyFileOfSizeAsync(1234, Ct));
        Assert.False(await Index.AnyFileOfSizeAsync(1235, Ct));
        Assert.False(await Index.AnyFileOfSizeAsync(0, Ct));

        await Index.PutAsync(FileManifest("/a.bin", id, revision: 2, size: 99), Ct);
        Assert.False(await Index.AnyFileOfSizeAsync(1234, Ct));
        Assert.True(await Index.AnyFileOfSizeAsync(99, Ct));

        await Index.RemoveAsync(id, Ct);
        Assert.False(await Index.AnyFileOfSizeAsync(99, Ct));
    }

    [Fact]
    public async Task Files_with_content_are_the_current_files_of_that_size_and_hash_up_to_the_limit()
    {
        var same = new string('a', 64);
        await Index.PutAsync(FileManifest("/one", Id(1), size: 500, sha256: same), Ct);
        await Index.PutAsync(FileManifest("/two", Id(2), size: 500, sha256: same), Ct);
        await Index.PutAsync(FileManifest("/three", Id(3), size: 500, sha256: same), Ct);
        await Index.PutAsync(FileManifest("/other-hash", Id(4), size: 500, sha256: new string('b', 64)), Ct);
        await Index.PutAsync(FileManifest("/other-size", Id(5), size: 501, sha256: same), Ct);

        var all = await Index.FilesWithContentAsync(500, same, 10, Ct);
        Assert.Equal(["/one", "/three", "/two"], all.Select(m => m.Path).Order(StringComparer.Ordinal));
        Assert.All(all, m => Assert.Equal(same, m.Sha256));
        Assert.Equal(2, (await Index.FilesWithContentAsync(500, same, 2, Ct)).Count);
        Assert.Empty(await Index.FilesWithContentAsync(500, new string('c', 64), 10, Ct));

        // A newer revision with other content is no longer a candidate; a removed file neither.
        await Index.PutAsync(FileManifest("/two", Id(2), revision: 2, size: 500, sha256: new string('d', 64)), Ct);
        await Index.RemoveAsync(Id(3), Ct);
        Assert.Equal(["/one"], (await Index.FilesWithContentAsync(500, same, 10, Ct)).Select(m => m.Path));
    }

    [Fact]
    public async Task Content_survives_reopening()
    {
        var manifest = FileManifest("/kept/a.txt", Id(1), size: 42);
        await Index.PutAsync(manifest, ManifestSerializer.Serialize(manifest), Ct);

        await ReopenAsync();

        Assert.Equal(ManifestSerializer.Serialize(manifest), ManifestSerializer.Serialize((await Index.GetByIdAsync(Id(1), Ct))!));
        Assert.Equal(["/kept", "/kept/a.txt"], await PathsAsync(PoolPath.Root, recursive: true));
        Assert.False(await Index.IsPopulatedAsync(Ct));
    }

    [Fact]
    public async Task A_disposed_index_refuses_calls_and_may_be_disposed_again()
    {
        await Index.PutAsync(FileManifest("/a.txt", Id(1)), Ct);
        var disposed = Index;

        await disposed.DisposeAsync();
        await disposed.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await disposed.GetAsync(PoolPath.Parse("/a.txt"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await disposed.PutAsync(FileManifest("/b.txt", Id(2)), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var entry in disposed.ListAsync(PoolPath.Root, recursive: true, Ct))
            {
                Assert.Fail($"listed {entry.Path} from a disposed index");
            }
        });

        _index = await OpenAgainAsync(Ct);
        Assert.NotNull(await Index.GetByIdAsync(Id(1), Ct));
    }

    protected async Task<List<IndexEntry>> ListAsync(PoolPath directory, bool recursive)
    {
        var entries = new List<IndexEntry>();
        await foreach (var entry in Index.ListAsync(directory, recursive, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    protected async Task<List<string>> PathsAsync(PoolPath directory, bool recursive) =>
        [.. (await ListAsync(directory, recursive)).Select(e => e.Path)];
}
