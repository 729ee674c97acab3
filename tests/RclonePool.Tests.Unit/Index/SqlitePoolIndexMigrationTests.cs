using Microsoft.Data.Sqlite;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

/// <summary>An index written by an older rclonepool opens, is upgraded in place, and keeps its content.</summary>
public sealed class SqlitePoolIndexMigrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _temp.File("pool.sqlite");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_schema_4_index_gains_its_totals_from_the_manifests_it_holds_without_a_rebuild()
    {
        var shared = FileManifest("/films/a.mkv", Id(1), size: 300, stored: [("r1:", 100), ("r1:", 100), ("r2:", 100)]);
        Manifest[] manifests =
        [
            shared,
            shared with { FileId = Id(2), Path = "/films/copy/a.mkv" },
            FileManifest("/music/b.flac", Id(3), size: 70, stored: [("r3:", 70)]),
            FileManifest("/zero", Id(4), size: 0),
            DirectoryManifest("/films", Id(5)),
            DirectoryManifest("/empty", Id(6)),
        ];
        await using (var written = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct))
        {
            await written.ReplaceAllAsync(manifests, Ct);
        }

        DowngradeToSchema4(DatabasePath);

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);

        Assert.Null(index.RecreatedBecause);
        Assert.True(await index.IsPopulatedAsync(Ct), "the upgrade keeps the content: no rebuild from the remotes");
        Assert.Empty(await index.CheckConsistencyAsync(Ct));
        var totals = await index.TotalsAsync(Ct);
        Assert.Equal((4L, 4L, 670L), (totals.Files, totals.Directories, totals.Bytes)); // directories /empty /films /films/copy /music
        Assert.Equal(
            new Dictionary<string, RemoteTotals> { ["r1:"] = new(4, 400), ["r2:"] = new(2, 200), ["r3:"] = new(1, 70) },
            totals.Remotes);

        // And it goes on counting as it changes.
        await index.RemoveAsync(Id(1), Ct);
        Assert.Equal(new RemoteTotals(2, 200), (await index.TotalsAsync(Ct)).Remotes["r1:"]);
        Assert.NotNull(await index.GetAsync(PoolPath.Parse("/films/copy/a.mkv"), Ct));
        Assert.Empty(await index.CheckConsistencyAsync(Ct));
    }

    /// <summary>Turns a current index file into what schema 4 wrote: no totals, no object counts, no content objects.</summary>
    private static void DowngradeToSchema4(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TRIGGER totals_entry_in; DROP TRIGGER totals_entry_out; DROP TRIGGER totals_entry_changed;
            DROP TRIGGER totals_dir_in; DROP TRIGGER totals_dir_out; DROP TABLE totals;
            ALTER TABLE stored DROP COLUMN objects;
            ALTER TABLE remote_bytes DROP COLUMN objects;
            DROP TABLE content_objects;
            PRAGMA user_version = 4;
            """;
        command.ExecuteNonQuery();
    }
}
