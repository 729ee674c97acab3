using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Errors;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Index;

/// <summary>
/// The embedded <see cref="IPoolIndex"/>: one SQLite file per pool (<c>&lt;manifest_cache_dir&gt;/&lt;pool-id&gt;.sqlite</c>)
/// in WAL mode, shared safely by several instances and processes (writes take the lock up front with
/// <c>BEGIN IMMEDIATE</c> and wait up to <see cref="SqlitePoolIndexOptions.BusyTimeout"/>; concurrent writes of one
/// instance share a transaction). Connections stay open between uses with their statements prepared.
/// <list type="bullet">
/// <item>A file that is not SQLite, damaged, foreign or from a newer schema is copied aside to
/// <c>&lt;file&gt;.corrupt</c> at open and emptied in place (moved aside if that fails), then recreated with the
/// current schema: <see cref="IsPopulatedAsync"/> says false, so the caller rebuilds from the remotes. Damage met
/// later by an operation does the same and that operation throws a <see cref="PoolException"/> of kind Integrity.
/// Emptying in place keeps every process's open connections on the one index file.</item>
/// <item>Listings are sorted by path in ordinal (UTF-8 byte, i.e. code point) order. Directories implied by
/// entries below them list as <see cref="EntryKind.Directory"/> with no file id, size 0, revision 0, and as
/// modified time the newest modified time of an entry added below them (not lowered when entries go away).</item>
/// <item>At one path, the entry written later (then the higher revision, then the larger file id) wins; the
/// other file id is dropped, and its revisions up to the losing one stay ignored.</item>
/// </list>
/// </summary>
public sealed partial class SqlitePoolIndex : IPoolIndex
{
    private readonly IndexDatabase _database;
    private readonly IndexWriteQueue _writes;
    private readonly IndexCheckpointer _checkpoints;
    private readonly ParsedManifestCache _manifests = new();
    private int _disposed;

    private SqlitePoolIndex(IndexDatabase database, string? recreatedBecause, ILogger logger)
    {
        _database = database;
        _checkpoints = new IndexCheckpointer(database, logger);
        _writes = new IndexWriteQueue(RunTransaction);
        RecreatedBecause = recreatedBecause;
    }

    /// <summary>WAL checkpoints run off the commit path so far (<see cref="IndexCheckpointer"/>).</summary>
    internal int CheckpointsRun => _checkpoints.Runs;

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _database.FilePath;

    /// <summary>Why the file was unusable and recreated empty at open, or null when it opened as it was.</summary>
    public string? RecreatedBecause { get; }

    /// <summary>
    /// Opens the index at <paramref name="databasePath"/>, creating the file (and its directory) or upgrading its
    /// schema when needed, and recreating it empty when it is unusable (see <see cref="RecreatedBecause"/>).
    /// </summary>
    public static ValueTask<SqlitePoolIndex> OpenAsync(
        string databasePath,
        SqlitePoolIndexOptions? options = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        options ??= SqlitePoolIndexOptions.Default;
        logger ??= NullLogger.Instance;
        var database = new IndexDatabase(Path.GetFullPath(databasePath), options.BusyTimeout, logger);
        var recreatedBecause = database.Prepare(options.CheckIntegrityOnOpen, cancellationToken);
        return ValueTask.FromResult(new SqlitePoolIndex(database, recreatedBecause, logger));
    }

    public ValueTask<bool> IsPopulatedAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static (connection, _) => connection.Command(IndexSql.IsPopulated).ExecuteScalar() as string == "1", cancellationToken);

    public ValueTask<Manifest?> GetAsync(PoolPath path, CancellationToken cancellationToken) =>
        ReadAsync((Index: this, Path: path.Value), static (connection, s) => s.Index.ReadManifest(connection, IndexSql.ManifestByPath, s.Path), cancellationToken);

    public ValueTask<Manifest?> GetByIdAsync(string fileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        return ReadAsync((Index: this, FileId: fileId), static (connection, s) => s.Index.ReadManifest(connection, IndexSql.ManifestById, s.FileId), cancellationToken);
    }

    public ValueTask<bool> ExistsAsync(PoolPath path, CancellationToken cancellationToken) =>
        path.IsRoot
            ? ValueTask.FromResult(true)
            : ReadAsync(path.Value, static (connection, p) => ExecuteScalar(connection, IndexSql.Exists, p) is 1L, cancellationToken);

    public ValueTask<IndexLookup> LookupAsync(PoolPath path, CancellationToken cancellationToken) =>
        path.IsRoot
            ? ValueTask.FromResult(new IndexLookup(null, true))
            : ReadAsync((Index: this, Path: path.Value), static (connection, s) => s.Index.Lookup(connection, s.Path), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One statement streamed row by row: the listing is one consistent snapshot, and writers are not blocked
    /// while it is read (WAL). Keep the enumeration short-lived; a snapshot held open delays WAL checkpoints.
    /// </remarks>
    public async IAsyncEnumerable<IndexEntry> ListAsync(PoolPath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var cursor = ListCursor<IndexEntry>.Open(
            this, directory.Value, recursive, IndexSql.ListChildren, IndexSql.ListDescendants, static reader => IndexRows.Entry(reader, reader.GetInt64(1)));
        while (cursor.TryRead(out var entry))
        {
            yield return entry;
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// What a listing prints of <paramref name="path"/> (kind, size, modified time), or null when nothing is there; the
    /// root is a directory. Reads the listing columns only: no manifest is parsed.
    /// </summary>
    public ListingRow? StatRow(PoolPath path) =>
        path.IsRoot
            ? new ListingRow(path.Value, true, 0, default)
            : Read(path.Value, static (connection, p) =>
            {
                var command = connection.Command(IndexSql.StatRow);
                command.Parameters[0].Value = p;
                using var reader = command.ExecuteReader();
                return reader.Read()
                    ? new ListingRow(p, reader.GetInt64(0) == 1, reader.GetInt64(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero))
                    : (ListingRow?)null;
            });

    /// <summary>
    /// The children of <paramref name="directory"/> (or, when <paramref name="recursive"/>, everything below it) as a
    /// listing prints them, in path order, streamed from one statement like <see cref="ListAsync"/> but reading only
    /// path, kind, size and modified time (no hashes, no properties).
    /// </summary>
    public IEnumerable<ListingRow> ListRows(PoolPath directory, bool recursive)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var cursor = ListCursor<ListingRow>.Open(
            this, directory.Value, recursive, IndexSql.ListChildrenRows, IndexSql.ListDescendantsRows,
            static reader => new ListingRow(reader.GetString(0), reader.GetInt64(1) == 1, reader.GetInt64(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero)));
        while (cursor.TryRead(out var row))
        {
            yield return row;
        }
    }

    public ValueTask<IReadOnlyDictionary<string, long>> StoredBytesByRemoteAsync(CancellationToken cancellationToken) =>
        ReadAsync<int, IReadOnlyDictionary<string, long>>(0, static (connection, _) =>
        {
            var totals = new Dictionary<string, long>(StringComparer.Ordinal);
            using var reader = connection.Command(IndexSql.StoredBytesByRemote).ExecuteReader();
            while (reader.Read())
            {
                totals[reader.GetString(0)] = reader.GetInt64(1);
            }

            return totals;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Reads the running totals the schema's triggers and the writer keep: one row, and one per remote.</remarks>
    public ValueTask<PoolTotals> TotalsAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static (connection, _) =>
        {
            long files = 0, directories = 0, bytes = 0;
            var remotes = new Dictionary<string, RemoteTotals>(StringComparer.Ordinal);
            using var reader = connection.Command(IndexSql.Totals).ExecuteReader();
            while (reader.Read())
            {
                if (reader.IsDBNull(0))
                {
                    (files, directories, bytes) = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                }
                else
                {
                    remotes[reader.GetString(0)] = new RemoteTotals(reader.GetInt64(1), reader.GetInt64(2));
                }
            }

            return new PoolTotals(files, directories, bytes, remotes);
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // A background checkpoint gives its connection back first; then closing the idle pooled connections makes
            // the last one checkpoint the WAL into the file, before this returns.
            await _checkpoints.CloseAsync();
            _database.ClearPool();
            _manifests.Clear();
        }
    }

    private ValueTask<T> ReadAsync<TState, T>(TState state, Func<IndexConnection, TState, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(state, body));
    }

    /// <summary>Runs <paramref name="body"/> on an idle connection (its statements prepared) and gives the connection back.</summary>
    private T Read<TState, T>(TState state, Func<IndexConnection, TState, T> body)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        IndexConnection? connection = null;
        try
        {
            connection = _database.Rent();
            var result = body(connection, state);
            _database.Return(connection);
            return result;
        }
        catch (SqliteException e)
        {
            // Closed before recovery, which may move the file this connection holds.
            connection?.Dispose();
            throw Translate(e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    private PoolException Translate(SqliteException e) =>
        IndexErrors.IsDamage(e) ? _database.Recover(e) : IndexErrors.From(e, _database.FilePath);

    /// <summary>The manifest of the row found, parsed from its JSON only when the cache does not hold that revision.</summary>
    private Manifest? ReadManifest(IndexConnection connection, IndexSql.Statement statement, string value)
    {
        var command = connection.Command(statement);
        command.Parameters[0].Value = value;
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadManifest(reader, value) : null;
    }

    private IndexLookup Lookup(IndexConnection connection, string path)
    {
        var command = connection.Command(IndexSql.Lookup);
        command.Parameters[0].Value = path;
        using var reader = command.ExecuteReader();
        return !reader.Read() ? new IndexLookup(null, false)
            : reader.IsDBNull(0) ? new IndexLookup(null, true)
            : new IndexLookup(ReadManifest(reader, path), true);
    }

    private Manifest ReadManifest(SqliteDataReader reader, string value) => IndexRows.Manifest(reader, _manifests, value);

    private static object? ExecuteScalar(IndexConnection connection, IndexSql.Statement statement, string value)
    {
        var command = connection.Command(statement);
        command.Parameters[0].Value = value;
        return command.ExecuteScalar();
    }
}
