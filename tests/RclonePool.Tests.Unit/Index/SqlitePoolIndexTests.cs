using RclonePool.Core.Index;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Paths;
using RclonePool.Tests.Support.Index;
using RclonePool.Tests.Unit.Support;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

/// <summary>What the SQLite index does beyond <see cref="PoolIndexContract"/> (see <see cref="SqlitePoolIndexContractTests"/>).</summary>
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
    public async Task A_replaced_index_opens_again_as_it_was_not_recreated()
    {
        await _index.ReplaceAllAsync([FileManifest("/new/1.txt", Id(2))], Ct);

        await _index.DisposeAsync();
        _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);

        Assert.True(await _index.IsPopulatedAsync(Ct));
        Assert.Null(_index.RecreatedBecause);
        Assert.NotNull(await _index.GetAsync(PoolPath.Parse("/new/1.txt"), Ct));
    }

    [Fact]
    public async Task Small_commits_checkpoint_the_wal_off_the_commit_path_and_lose_nothing()
    {
        // Each put commits alone (one after another): a few pages each, so 400 of them pass PagesPerCheckpoint.
        for (var i = 0; i < 400; i++)
        {
            await _index.PutAsync(FileManifest($"/small/{i:000}.txt", Id(i + 1)), Ct);
        }

        await Eventually.TrueAsync(() => _index.CheckpointsRun >= 1, "a checkpoint on a thread-pool thread");

        // The WAL stayed far below the backstop at which a commit would checkpoint itself.
        Assert.True(new FileInfo(_temp.File("pool.sqlite") + "-wal").Length < IndexCheckpointer.BackstopPages * 4096L / 2);
        await _index.DisposeAsync();
        _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);
        Assert.Equal(400, (await _index.TotalsAsync(Ct)).Files);
    }

    [Fact]
    public async Task A_bulk_replace_settles_two_file_ids_at_one_path_as_single_puts_do_in_either_order()
    {
        // The bulk load's first put of a file id skips the lookups by file id; a path taken by another file id is still
        // settled the one way: the later written wins, the other is forgotten. (Dispose checks the directories and totals.)
        var early = FileManifest("/d/x.txt", Id(1), revision: 5, written: BaseTime);
        var late = FileManifest("/d/x.txt", Id(2), revision: 1, written: BaseTime.AddMinutes(1));
        foreach (var order in new[] { new[] { early, late }, [late, early] })
        {
            await _index.ReplaceAllAsync([order[0], FileManifest("/d/y.txt", Id(3)), order[1]], Ct);

            Assert.Equal(Id(2), (await _index.GetAsync(PoolPath.Parse("/d/x.txt"), Ct))!.FileId);
            Assert.Null(await _index.GetByIdAsync(Id(1), Ct));
            var totals = await _index.TotalsAsync(Ct);
            Assert.Equal((2L, 1L), (totals.Files, totals.Directories));
            Assert.Empty(await _index.CheckConsistencyAsync(Ct));
        }

        // The loser stays beaten: its revision put again alone does not take the path back.
        await _index.PutAsync(early, Ct);
        Assert.Equal(Id(2), (await _index.GetAsync(PoolPath.Parse("/d/x.txt"), Ct))!.FileId);
    }
}
