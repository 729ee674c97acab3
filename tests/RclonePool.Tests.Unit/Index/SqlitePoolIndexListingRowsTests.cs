using RclonePool.Core.Index;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

/// <summary>
/// The listing columns alone (<see cref="SqlitePoolIndex.StatRow"/>, <see cref="SqlitePoolIndex.ListRows"/>), as ls reads
/// them: the same entries, order, kinds, sizes and times as the full listing (<see cref="SqlitePoolIndex.ListAsync"/>).
/// </summary>
public sealed class SqlitePoolIndexListingRowsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private SqlitePoolIndex _index = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);
        await _index.ReplaceAllAsync(
        [
            FileManifest("/docs/a.txt", Id(1), size: 10, modified: Noon),
            FileManifest("/docs/deep/b.bin", Id(2), size: 2_000, modified: Noon.AddHours(1)),
            DirectoryManifest("/docs/empty", Id(3), modified: Noon.AddHours(2)),
            FileManifest("/docs0.txt", Id(4), size: 5, modified: Noon),
            FileManifest("/top.txt", Id(5), size: 7, modified: Noon),
        ], Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _index.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/", true)]
    [InlineData("/docs", false)]
    [InlineData("/docs", true)]
    [InlineData("/docs/deep", false)]
    [InlineData("/docs/empty", false)]
    public async Task Rows_are_the_full_listing_without_hashes_and_properties(string directory, bool recursive)
    {
        var path = PoolPath.Parse(directory);
        var full = new List<ListingRow>();
        await foreach (var entry in _index.ListAsync(path, recursive, Ct))
        {
            full.Add(new ListingRow(entry.Path, entry.Kind == Core.Manifests.EntryKind.Directory, entry.Size, entry.Modified));
        }

        Assert.Equal(full, _index.ListRows(path, recursive).ToList());
    }

    [Fact]
    public void The_children_of_a_directory_are_files_directory_objects_and_implied_directories_in_path_order()
    {
        var rows = _index.ListRows(PoolPath.Parse("/docs"), recursive: false).ToList();

        Assert.Equal(
        [
            new ListingRow("/docs/a.txt", false, 10, Noon),
            new ListingRow("/docs/deep", true, 0, Noon.AddHours(1)),
            new ListingRow("/docs/empty", true, 0, Noon.AddHours(2)),
        ], rows);
    }

    [Fact]
    public void Stat_tells_a_file_a_directory_object_an_implied_directory_the_root_and_nothing_apart()
    {
        Assert.Equal(new ListingRow("/docs/a.txt", false, 10, Noon), _index.StatRow(PoolPath.Parse("/docs/a.txt")));
        Assert.Equal(new ListingRow("/docs/empty", true, 0, Noon.AddHours(2)), _index.StatRow(PoolPath.Parse("/docs/empty")));
        Assert.True(_index.StatRow(PoolPath.Parse("/docs/deep"))?.IsDirectory);
        Assert.True(_index.StatRow(PoolPath.Root)?.IsDirectory);
        Assert.Null(_index.StatRow(PoolPath.Parse("/docs/missing")));
        Assert.Null(_index.StatRow(PoolPath.Parse("/doc")));
    }
}
