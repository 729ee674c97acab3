using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// Checkpoints the WAL into the index file off the commit path. SQLite's own automatic checkpoint runs inside the
/// commit that takes the WAL past 1,000 pages and, with <c>synchronous = NORMAL</c>, syncs the WAL and the file there:
/// every write queued behind that commit (<see cref="IndexWriteQueue"/>: many small PUTs) waited for its two fsyncs.
/// This counts the pages each commit writes (<c>SQLITE_DBSTATUS_CACHE_WRITE</c>) and, once
/// <see cref="PagesPerCheckpoint"/> have gathered, runs a PASSIVE checkpoint on a thread-pool thread, which writers do
/// not wait for. The cadence and the syncs are SQLite's default, so the durability is: a commit survives the process
/// at once, and a power loss once the checkpoint after it synced the WAL. Connections keep the automatic checkpoint
/// as a backstop (<see cref="BackstopPages"/>), for when this one falls behind.
/// </summary>
internal sealed class IndexCheckpointer(IndexDatabase database, ILogger logger)
{
    /// <summary>WAL pages written between two checkpoints: SQLite's default <c>wal_autocheckpoint</c>.</summary>
    public const int PagesPerCheckpoint = 1000;

    /// <summary>The <c>wal_autocheckpoint</c> of every connection: a commit checkpoints itself only past this many pages.</summary>
    public const int BackstopPages = 10 * PagesPerCheckpoint;

    private const int DbStatusCacheWrite = 9; // SQLITE_DBSTATUS_CACHE_WRITE

    private long _pages;
    private int _running;
    private int _runs;
    private volatile bool _closed;
    private Task _last = Task.CompletedTask;

    /// <summary>Checkpoints run so far (for tests and diagnostics).</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>
    /// Called after a commit on <paramref name="connection"/>: counts the pages it wrote to the WAL and starts a
    /// checkpoint once enough have gathered (at most one runs at a time).
    /// </summary>
    public void Committed(SqliteConnection connection)
    {
        if (_closed || connection.Handle is not { } handle
            || raw.sqlite3_db_status(handle, DbStatusCacheWrite, out var written, out _, 1) != raw.SQLITE_OK)
        {
            return;
        }

        if (Interlocked.Add(ref _pages, written) >= PagesPerCheckpoint && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            Interlocked.Exchange(ref _pages, 0);
            Volatile.Write(ref _last, Task.Run(Checkpoint, CancellationToken.None));
        }
    }

    /// <summary>
    /// No checkpoint starts after this (the index is closing; the last connection to close checkpoints). The task ends
    /// when a checkpoint already running has given its connection back, so that the pool can then be closed whole.
    /// </summary>
    public Task CloseAsync()
    {
        _closed = true;
        return Volatile.Read(ref _last);
    }

    private void Checkpoint()
    {
        IndexConnection? connection = null;
        try
        {
            if (_closed)
            {
                return;
            }

            connection = database.Rent();
            using (var command = connection.Connection.CreateCommand())
            {
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                command.ExecuteNonQuery();
            }

            database.Return(connection);
            Interlocked.Increment(ref _runs);
        }
        catch (SqliteException e)
        {
            // A busy or failing checkpoint is retried after the next pages; the backstop keeps the WAL bounded meanwhile.
            connection?.Dispose();
            IndexLog.CheckpointFailed(logger, database.FilePath, e.Message);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
