using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using SQLitePCL;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// The index file: connections with the pragmas every connection needs, and the open-time checks that
/// create or migrate the file, or keep a copy of an unusable one and recreate it empty. All of this runs under <see cref="IndexFileLock"/>.
/// </summary>
internal sealed class IndexDatabase
{
    private static readonly ConditionalWeakTable<sqlite3, object> ConfiguredHandles = new();
    private static readonly object ConfiguredMark = new();
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly TimeSpan _busyTimeout;
    private readonly ILogger _logger;
    private readonly ConcurrentStack<IndexConnection> _idle = new();
    private int _generation;

    public IndexDatabase(string filePath, TimeSpan busyTimeout, ILogger logger)
    {
        FilePath = filePath;
        _busyTimeout = busyTimeout;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY itself until this; SQLite's busy handler already waited as long.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 67108864; PRAGMA wal_autocheckpoint = {IndexCheckpointer.BackstopPages};");
    }

    public string FilePath { get; }

    /// <summary>An open connection (pooled) with busy timeout and synchronous=NORMAL set.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();

            // A pooled connection keeps its native handle, and the pragmas stay set on it.
            if (!ConfiguredHandles.TryGetValue(connection.Handle!, out _))
            {
                Execute(connection, _connectionPragmas);
                ConfiguredHandles.AddOrUpdate(connection.Handle!, ConfiguredMark);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection with prepared statements, idle since its last use or newly opened. Give it back with
    /// <see cref="Return"/> when done, or dispose it after an error (recovery may move the file it holds).
    /// </summary>
    public IndexConnection Rent()
    {
        while (_idle.TryPop(out var idle))
        {
            if (idle.Generation == Volatile.Read(ref _generation))
            {
                return idle;
            }

            idle.Dispose();
        }

        return new IndexConnection(OpenConnection(), Volatile.Read(ref _generation));
    }

    /// <summary>Keeps a connection for the next <see cref="Rent"/>, unless the pool was cleared since it was opened.</summary>
    public void Return(IndexConnection connection)
    {
        if (connection.Generation != Volatile.Read(ref _generation))
        {
            connection.Dispose();
            return;
        }

        _idle.Push(connection);

        // Cleared while it was being pushed: close what is idle now, as ClearPool would have.
        if (connection.Generation != Volatile.Read(ref _generation))
        {
            CloseIdle();
        }
    }

    /// <summary>Closes the idle connections (pooled and prepared), so the next ones open the file afresh.</summary>
    public void ClearPool()
    {
        Interlocked.Increment(ref _generation);
        CloseIdle();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var idle))
        {
            idle.Dispose();
        }
    }

    /// <summary>
    /// Makes the file a usable index of the current schema: creates or migrates it, or recreates an unusable one
    /// (damaged, foreign, or from a newer schema) empty. Returns why it was recreated, or null.
    /// </summary>
    public string? Prepare(bool fullCheck, CancellationToken cancellationToken)
    {
        try
        {
            var directory = Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            using var fileLock = IndexFileLock.Acquire(FilePath + ".lock", _busyTimeout, cancellationToken);
            return PrepareLocked(fullCheck, firstProblem: null);
        }
        catch (SqliteException e)
        {
            throw IndexErrors.From(e, FilePath);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PoolException(PoolErrorKind.Environment, $"The index {FilePath} cannot be created ({e.Message}); check the permissions of manifest_cache_dir.", e);
        }
    }

    /// <summary>
    /// Called when SQLite reported damage during an operation: checks the file thoroughly (another process may
    /// already have replaced it) and recreates it if it is still damaged. Returns the exception to throw.
    /// </summary>
    public PoolException Recover(SqliteException damage)
    {
        IndexLog.DamageReported(_logger, FilePath, damage.Message);
        try
        {
            ClearPool();
            using var fileLock = IndexFileLock.Acquire(FilePath + ".lock", _busyTimeout, CancellationToken.None);
            var reason = PrepareLocked(fullCheck: true, firstProblem: null);
            return reason is null
                ? IndexErrors.DamageNotConfirmed(FilePath, damage)
                : IndexErrors.Recreated(FilePath, reason, damage);
        }
        catch (PoolException e)
        {
            return e;
        }
        catch (SqliteException e)
        {
            return IndexErrors.From(e, FilePath);
        }
    }

    private string? PrepareLocked(bool fullCheck, string? firstProblem)
    {
        string? problem;
        using (var connection = OpenConnection())
        {
            problem = Inspect(connection, fullCheck);
            if (problem is null)
            {
                try
                {
                    Migrate(connection);
                    return firstProblem;
                }
                catch (SqliteException e) when (IndexErrors.IsDamage(e))
                {
                    problem = e.Message;
                }
            }
        }

        if (firstProblem is not null)
        {
            throw IndexErrors.CannotRecreate(FilePath, $"{firstProblem}; then {problem}");
        }

        KeepCopy();
        if (!ResetInPlace())
        {
            MoveAside(problem);
        }

        IndexLog.Recreated(_logger, FilePath, problem);
        return PrepareLocked(fullCheck: false, problem);
    }

    /// <summary>Null when the file is empty or an index this version can use (possibly after migrating).</summary>
    private static string? Inspect(SqliteConnection connection, bool fullCheck)
    {
        try
        {
            // Reads the header: a file that is not SQLite fails here. WAL persists in the file once set.
            Execute(connection, "PRAGMA journal_mode = WAL;");
            var applicationId = Scalar(connection, "PRAGMA application_id;");
            var version = Scalar(connection, "PRAGMA user_version;");
            var tables = new HashSet<string>(StringComparer.Ordinal);
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table';";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            if (applicationId == 0 && version == 0 && tables.Count == 0)
            {
                return null;
            }

            if (applicationId != IndexSchema.ApplicationId)
            {
                return "it is not an rclonepool index";
            }

            if (version > IndexSchema.CurrentVersion)
            {
                return $"it was written by a newer rclonepool (index schema {version}; this one knows up to {IndexSchema.CurrentVersion})";
            }

            if (version == IndexSchema.CurrentVersion && !IndexSchema.RequiredTables.All(tables.Contains))
            {
                return "its tables are incomplete";
            }

            if (fullCheck)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA quick_check(1);";
                var result = command.ExecuteScalar() as string;
                if (result != "ok")
                {
                    return $"quick_check: {result}";
                }
            }

            return null;
        }
        catch (SqliteException e) when (IndexErrors.IsDamage(e))
        {
            return e.Message;
        }
    }

    private void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = (int)Scalar(connection, "PRAGMA user_version;");
        if (version >= IndexSchema.CurrentVersion)
        {
            return;
        }

        for (var step = version; step < IndexSchema.CurrentVersion; step++)
        {
            Execute(connection, IndexSchema.Migrations[step]);
        }

        Execute(connection, string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA application_id = {IndexSchema.ApplicationId}; PRAGMA user_version = {IndexSchema.CurrentVersion};"));
        transaction.Commit();
        if (version > 0)
        {
            IndexLog.Migrated(_logger, FilePath, version, IndexSchema.CurrentVersion);
        }
    }

    /// <summary>Copies the unusable file to "&lt;file&gt;.corrupt" for diagnosis (replacing an older copy); best effort.</summary>
    private void KeepCopy()
    {
        try
        {
            File.Copy(FilePath, FilePath + ".corrupt", overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a permission problem must not stop the index from being recreated.
        }
    }

    /// <summary>
    /// Empties the file where it is (SQLITE_DBCONFIG_RESET_DATABASE + VACUUM, which works on any damage), so
    /// connections other processes hold keep pointing at the one index file instead of a moved-away one.
    /// </summary>
    private bool ResetInPlace()
    {
        ClearPool();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
            connection.Open();
            Execute(connection, _connectionPragmas);
            try
            {
                // Reading the schema first keeps WAL mode through the reset; on a damaged file it may fail.
                Scalar(connection, "SELECT count(*) FROM sqlite_schema;");
            }
            catch (SqliteException)
            {
                // Expected for a file that is not SQLite; the reset below still works.
            }

            if (raw.sqlite3_db_config(connection.Handle, raw.SQLITE_DBCONFIG_RESET_DATABASE, 1, out _) != raw.SQLITE_OK)
            {
                return false;
            }

            try
            {
                Execute(connection, "VACUUM;");
            }
            finally
            {
                raw.sqlite3_db_config(connection.Handle, raw.SQLITE_DBCONFIG_RESET_DATABASE, 0, out _);
            }

            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>The fallback when the file cannot be emptied in place: move it aside (or delete it) with its WAL.</summary>
    private void MoveAside(string reason)
    {
        ClearPool();
        try
        {
            File.Move(FilePath, FilePath + ".corrupt", overwrite: true);
            File.Delete(FilePath + "-wal");
            File.Delete(FilePath + "-shm");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(FilePath);
                File.Delete(FilePath + "-wal");
                File.Delete(FilePath + "-shm");
            }
            catch (Exception inner) when (inner is IOException or UnauthorizedAccessException)
            {
                throw IndexErrors.CannotRecreate(FilePath, reason, inner);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
