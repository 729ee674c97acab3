using Microsoft.Data.Sqlite;
using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Paths;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

public sealed class SqlitePoolIndexRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _temp.File("pool.sqlite");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_file_of_garbage_bytes_is_moved_aside_and_recreated_empty()
    {
        var garbage = new byte[16384];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(DatabasePath, garbage, Ct);

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);

        Assert.NotNull(index.RecreatedBecause);
        Assert.False(await index.IsPopulatedAsync(Ct));
        Assert.Equal(garbage, await File.ReadAllBytesAsync(DatabasePath + ".corrupt", Ct));
        await index.PutAsync(FileManifest("/a.txt", Id(1)), Ct);
        Assert.NotNull(await index.GetByIdAsync(Id(1), Ct));
    }

    [Fact]
    public async Task An_index_from_a_newer_schema_is_recreated_empty()
    {
        await FillAsync(DatabasePath, 10);
        SetPragma(DatabasePath, "user_version", 99);

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);

        Assert.Contains("newer", index.RecreatedBecause, StringComparison.Ordinal);
        Assert.False(await index.IsPopulatedAsync(Ct));
        Assert.Empty(await CountAsync(index));
    }

    [Fact]
    public async Task A_recreated_index_is_the_one_file_every_open_instance_uses()
    {
        await FillAsync(DatabasePath, 10);
        await using var running = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);
        Assert.True(await running.IsPopulatedAsync(Ct));
        SetPragma(DatabasePath, "user_version", 99);

        await using var opened = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);
        Assert.NotNull(opened.RecreatedBecause);

        // The running instance sees the emptied file, and writes of either are seen by the other.
        Assert.False(await running.IsPopulatedAsync(Ct));
        Assert.Empty(await CountAsync(running));
        await running.PutAsync(FileManifest("/from-running.txt", Id(1)), Ct);
        Assert.True(await opened.ExistsAsync(PoolPath.Parse("/from-running.txt"), Ct));
        Assert.Empty(await opened.CheckConsistencyAsync(Ct));
    }

    [Fact]
    public async Task A_foreign_sqlite_database_is_recreated_empty()
    {
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');";
            command.ExecuteNonQuery();
        }

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);

        Assert.Contains("not an rclonepool index", index.RecreatedBecause, StringComparison.Ordinal);
        Assert.False(await index.IsPopulatedAsync(Ct));
    }

    [Fact]
    public async Task An_index_reopened_as_it_was_keeps_its_content()
    {
        await FillAsync(DatabasePath, 10);
        Assert.False(File.Exists(DatabasePath + "-wal"), "closing the last connection checkpoints and removes the WAL");

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, new SqlitePoolIndexOptions { CheckIntegrityOnOpen = true }, cancellationToken: Ct);

        Assert.Null(index.RecreatedBecause);
        Assert.True(await index.IsPopulatedAsync(Ct));
        Assert.Equal(11, (await CountAsync(index)).Count);
    }

    [Fact]
    public async Task Damaged_pages_are_found_by_the_integrity_check_at_open()
    {
        await FillAsync(DatabasePath, 3000);
        DamageSecondHalf(DatabasePath);

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, new SqlitePoolIndexOptions { CheckIntegrityOnOpen = true }, cancellationToken: Ct);

        Assert.NotNull(index.RecreatedBecause);
        Assert.False(await index.IsPopulatedAsync(Ct));
        Assert.Empty(await CountAsync(index));
    }

    [Fact]
    public async Task Damage_met_by_an_operation_recreates_the_index_and_fails_that_operation_as_integrity()
    {
        await FillAsync(DatabasePath, 3000);
        DamageSecondHalf(DatabasePath);

        await using var index = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);
        if (index.RecreatedBecause is null)
        {
            var e = await Assert.ThrowsAsync<PoolException>(async () => await CountAsync(index));
            Assert.Equal(PoolErrorKind.Integrity, e.Kind);
            Assert.True(File.Exists(DatabasePath + ".corrupt"));
        }

        Assert.False(await index.IsPopulatedAsync(Ct));
        Assert.Empty(await CountAsync(index));
        await index.PutAsync(FileManifest("/again.txt", Id(1)), Ct);
        Assert.True(await index.ExistsAsync(PoolPath.Parse("/again.txt"), Ct));
        Assert.Empty(await index.CheckConsistencyAsync(Ct));
    }

    [Fact]
    public async Task Two_instances_writing_and_reading_at_once_end_consistent()
    {
        await using var first = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);
        await using var second = await SqlitePoolIndex.OpenAsync(DatabasePath, cancellationToken: Ct);
        SqlitePoolIndex[] instances = [first, second];
        const int PutsPerInstance = 500;
        const int TasksPerInstance = 4;
        using var writersDone = new CancellationTokenSource();

        var writers = new List<Task>();
        for (var n = 0; n < instances.Length; n++)
        {
            for (var t = 0; t < TasksPerInstance; t++)
            {
                var (instance, which, task) = (instances[n], n, t);
                writers.Add(Task.Run(
                    async () =>
                    {
                        for (var i = task; i < PutsPerInstance; i += TasksPerInstance)
                        {
                            await instance.PutAsync(FileManifest($"/d{i % 10}/{which}-{i}.bin", Id((which * 1000) + i), size: i + 1), Ct);
                            if (i % 25 == 0)
                            {
                                // Both instances move the same 20 files; the higher revision (the second's) must win.
                                var shared = i / 25;
                                await instance.PutAsync(FileManifest($"/shared/{shared}-{which}", Id(5000 + shared), revision: which + 1, size: 1), Ct);
                            }
                        }
                    },
                    Ct));
            }
        }

        var readers = instances.Select(instance => Task.Run(
            async () =>
            {
                var reads = 0;
                while (!writersDone.IsCancellationRequested)
                {
                    await foreach (var entry in instance.ListAsync(PoolPath.Root, recursive: true, Ct))
                    {
                        Assert.NotNull(entry.Path);
                    }

                    _ = await instance.StoredBytesByRemoteAsync(Ct);
                    reads++;
                }

                return reads;
            },
            Ct)).ToArray();

        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        var readCounts = await Task.WhenAll(readers);
        TestContext.Current.TestOutputHelper?.WriteLine($"full listings read while writing: {string.Join(", ", readCounts)}");

        foreach (var instance in instances)
        {
            Assert.Empty(await instance.CheckConsistencyAsync(Ct));
            var entries = await CountAsync(instance);
            Assert.Equal((2 * PutsPerInstance) + 20 + 10 + 1, entries.Count);
            Assert.Equal(20, entries.Count(e => e.Path.StartsWith("/shared/", StringComparison.Ordinal) && e.Path.EndsWith("-1", StringComparison.Ordinal)));
            var expectedBytes = (2L * PutsPerInstance * (PutsPerInstance + 1) / 2) + 20;
            Assert.Equal(expectedBytes, (await instance.StoredBytesByRemoteAsync(Ct))["r1:"]);
        }
    }

    private static async Task FillAsync(string path, int files)
    {
        await using var index = await SqlitePoolIndex.OpenAsync(path, cancellationToken: Ct);
        await index.ReplaceAllAsync(Enumerable.Range(0, files).Select(i => FileManifest($"/dir/file-{i:D5}.bin", Id(i + 1))), Ct);
    }

    private static async Task<List<IndexEntry>> CountAsync(SqlitePoolIndex index)
    {
        var entries = new List<IndexEntry>();
        await foreach (var entry in index.ListAsync(PoolPath.Root, recursive: true, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static void SetPragma(string path, string pragma, int value)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma} = {value};";
        command.ExecuteNonQuery();
    }

    /// <summary>Overwrites the second half of the file (entry and manifest pages) with random bytes.</summary>
    private static void DamageSecondHalf(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var length = file.Length;
        Assert.True(length > 64 * 1024, $"the index should span many pages, but is {length} bytes");
        var garbage = new byte[length - (length / 2)];
        new Random(7).NextBytes(garbage);
        file.Position = length / 2;
        file.Write(garbage);
    }
}
