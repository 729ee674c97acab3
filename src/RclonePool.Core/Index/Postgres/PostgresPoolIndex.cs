using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Index.Postgres;

/// <summary>
/// The shared <see cref="IPoolIndex"/>: the pool's index in a PostgreSQL database, so that several gateways (on one
/// machine or several) serve one pool. Each pool has a schema of its own, created and migrated at open
/// (<see cref="PostgresSchema"/>). Connections come from Npgsql's pool; statements are prepared automatically after
/// their second use. Reads are plain statements (each one snapshot); every change is one call of a server-side
/// function, and all writers of a pool, whichever gateway they run in, are serialised by an advisory lock.
/// <list type="bullet">
/// <item>Listings are sorted by path in code-point order (the path columns are <c>COLLATE "C"</c>).</item>
/// <item>Implied directories and path collisions follow the rules of <see cref="SqlitePoolIndex"/>.</item>
/// <item>Nothing here caches state that another gateway can change: parsed manifests are cached by (file id, revision,
/// written), which names one immutable revision, so a change made elsewhere is seen by the next read.</item>
/// </list>
/// </summary>
public sealed partial class PostgresPoolIndex : IPoolIndex
{
    private readonly NpgsqlDataSource _source;
    private readonly ParsedManifestCache _manifests = new();
    private int _disposed;

    private PostgresPoolIndex(NpgsqlDataSource source, string server, string schema)
    {
        _source = source;
        Server = server;
        Schema = schema;
    }

    /// <summary>Host, port and database, for messages (never the password).</summary>
    public string Server { get; }

    /// <summary>The PostgreSQL schema that holds this pool's index.</summary>
    public string Schema { get; }

    /// <summary>
    /// Connects to the server named by <paramref name="connectionString"/>, creates the pool's schema or migrates it to
    /// the current version, and returns the index. Fails with a <see cref="Errors.PoolException"/> that says what to check
    /// when the string is missing or unparsable, the server cannot be reached, or the schema is newer than this program.
    /// </summary>
    public static async ValueTask<PostgresPoolIndex> OpenAsync(string? connectionString, string poolId, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(poolId);
        var settings = PostgresConnectionString.Parse(connectionString);
        var schema = PostgresSchema.SchemaName(poolId);
        settings.SearchPath = schema;
        var server = PostgresConnectionString.Describe(settings);
        var source = new NpgsqlDataSourceBuilder(settings.ConnectionString)
            .UseLoggerFactory(NullLoggerFactory.Instance)
            .Build();
        try
        {
            await PostgresMigrator.MigrateAsync(source, server, schema, logger ?? NullLogger.Instance, cancellationToken);
            return new PostgresPoolIndex(source, server, schema);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public ValueTask<bool> IsPopulatedAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static async (connection, _, ct) =>
        {
            await using var command = new NpgsqlCommand(PostgresSql.IsPopulated, connection);
            return await command.ExecuteScalarAsync(ct) as string == "1";
        }, cancellationToken);

    public ValueTask<Manifest?> GetAsync(PoolPath path, CancellationToken cancellationToken) =>
        ReadAsync((Index: this, Path: path.Value), static (connection, s, ct) => s.Index.ReadManifestAsync(connection, PostgresSql.ManifestByPath, s.Path, ct), cancellationToken);

    public ValueTask<Manifest?> GetByIdAsync(string fileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        return ReadAsync((Index: this, FileId: fileId), static (connection, s, ct) => s.Index.ReadManifestAsync(connection, PostgresSql.ManifestById, s.FileId, ct), cancellationToken);
    }

    public ValueTask<bool> ExistsAsync(PoolPath path, CancellationToken cancellationToken) =>
        path.IsRoot
            ? ValueTask.FromResult(true)
            : ReadAsync(path.Value, static async (connection, p, ct) =>
            {
                await using var command = Command(PostgresSql.Exists, connection, Text(p));
                return await command.ExecuteScalarAsync(ct) is true;
            }, cancellationToken);

    public ValueTask<IndexLookup> LookupAsync(PoolPath path, CancellationToken cancellationToken) =>
        path.IsRoot
            ? ValueTask.FromResult(new IndexLookup(null, true))
            : ReadAsync((Index: this, Path: path.Value), static async (connection, s, ct) =>
            {
                await using var command = Command(PostgresSql.Lookup, connection, Text(s.Path));
                await using var reader = await command.ExecuteReaderAsync(ct);
                return !await reader.ReadAsync(ct) ? new IndexLookup(null, false)
                    : reader.IsDBNull(0) ? new IndexLookup(null, true)
                    : new IndexLookup(s.Index.ReadManifest(reader, s.Path), true);
            }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One statement read row by row on one connection: the listing is one consistent snapshot.</remarks>
    public async IAsyncEnumerable<IndexEntry> ListAsync(PoolPath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        NpgsqlDataReader? reader = null;
        try
        {
            try
            {
                connection = await _source.OpenConnectionAsync(cancellationToken);
                if (recursive)
                {
                    var (low, high) = IndexPaths.DescendantRange(directory.Value);
                    command = Command(PostgresSql.ListDescendants, connection, Text(low), Text(high));
                }
                else
                {
                    command = Command(PostgresSql.ListChildren, connection, Text(directory.Value));
                }

                reader = await command.ExecuteReaderAsync(cancellationToken);
            }
            catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
            {
                throw PostgresErrors.From(e, Server);
            }

            while (true)
            {
                IndexEntry entry;
                try
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        break;
                    }

                    entry = ReadEntry(reader);
                }
                catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
                {
                    throw PostgresErrors.From(e, Server);
                }

                yield return entry;
            }
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }

            if (command is not null)
            {
                await command.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public ValueTask<IReadOnlyDictionary<string, long>> StoredBytesByRemoteAsync(CancellationToken cancellationToken) =>
        ReadAsync<int, IReadOnlyDictionary<string, long>>(0, static async (connection, _, ct) =>
        {
            var totals = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var command = new NpgsqlCommand(PostgresSql.StoredBytesByRemote, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                totals[reader.GetString(0)] = reader.GetInt64(1);
            }

            return totals;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Reads the running totals the schema's triggers and functions keep: one row, and one per remote.</remarks>
    public ValueTask<PoolTotals> TotalsAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static async (connection, _, ct) =>
        {
            long files = 0, directories = 0, bytes = 0;
            var remotes = new Dictionary<string, RemoteTotals>(StringComparer.Ordinal);
            await using var command = new NpgsqlCommand(PostgresSql.Totals, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
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

    public ValueTask<bool> AnyFileOfSizeAsync(long size, CancellationToken cancellationToken) =>
        ReadAsync(size, static async (connection, size, ct) =>
        {
            await using var command = Command(PostgresSql.AnyFileOfSize, connection, new NpgsqlParameter<long> { TypedValue = size });
            return await command.ExecuteScalarAsync(ct) is true;
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Manifest>> FilesWithContentAsync(long size, string sha256, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        return ReadAsync<(long Size, string Sha256, int Limit), IReadOnlyList<Manifest>>((size, sha256, limit), static async (connection, query, ct) =>
        {
            await using var command = Command(
                PostgresSql.FilesWithContent,
                connection,
                Text(query.Sha256),
                new NpgsqlParameter<long> { TypedValue = query.Size },
                new NpgsqlParameter<long> { TypedValue = query.Limit });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var manifests = new List<Manifest>();
            while (await reader.ReadAsync(ct))
            {
                manifests.Add(ManifestSerializer.Deserialize(reader.GetFieldValue<byte[]>(0), $"in the index (a file of {query.Size} bytes)"));
            }

            return manifests;
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _source.DisposeAsync();
            _manifests.Clear();
        }
    }

    private async ValueTask<T> ReadAsync<TState, T>(TState state, Func<NpgsqlConnection, TState, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            return await body(connection, state, cancellationToken);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.From(e, Server);
        }
    }

    private async Task<Manifest?> ReadManifestAsync(NpgsqlConnection connection, string sql, string value, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, connection, Text(value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadManifest(reader, value) : null;
    }

    private Manifest ReadManifest(NpgsqlDataReader reader, string value) => IndexRows.Manifest(reader, _manifests, value);

    private static IndexEntry ReadEntry(NpgsqlDataReader reader) => IndexRows.Entry(reader, reader.GetInt16(1));

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
