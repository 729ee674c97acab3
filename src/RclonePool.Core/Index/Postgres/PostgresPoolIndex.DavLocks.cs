using Npgsql;
using NpgsqlTypes;

namespace RclonePool.Core.Index.Postgres;

public sealed partial class PostgresPoolIndex : ISharedDavLocks
{
    private const string DavLockColumns = "token, root, exclusive, infinite, owner, timeout_ms, expires_at";

    /// <summary>Serialises the adds of every gateway (the key cannot be a pool path's: those start with '/').</summary>
    private const string LockDavLocks = "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext('dav_locks'))";

    private const string ListDavLocks = $"SELECT {DavLockColumns} FROM dav_locks WHERE expires_at > $1";

    private const string DropExpiredDavLocks = "DELETE FROM dav_locks WHERE expires_at <= $1";

    private const string InsertDavLock = $"INSERT INTO dav_locks ({DavLockColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)";

    private const string RenewDavLock = "UPDATE dav_locks SET timeout_ms = $2, expires_at = $3 WHERE token = $1 AND expires_at > $4";

    private const string DeleteDavLock = "DELETE FROM dav_locks WHERE token = $1";

    /// <summary>Locks at <c>$1</c> or below it: <c>$2</c> is <c>$1</c> with a trailing '/' ("/" for the root).</summary>
    private const string DeleteDavLocksWithin = "DELETE FROM dav_locks WHERE root = $1 OR left(root, length($2)) = $2";

    /// <inheritdoc />
    public Task<IReadOnlyList<DavLockRow>> ListDavLocksAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(now, async (connection, at, ct) => (IReadOnlyList<DavLockRow>)await ReadDavLocksAsync(connection, null, at, ct), cancellationToken).AsTask();

    /// <inheritdoc />
    public async Task<DavLockRow?> AddDavLockAsync(DavLockRow row, DateTimeOffset now, Func<IReadOnlyList<DavLockRow>, DavLockRow?> conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(conflict);
        return await ReadAsync((row, now, conflict), async (connection, s, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var serialise = new NpgsqlCommand(LockDavLocks, connection, transaction))
            {
                await serialise.ExecuteNonQueryAsync(ct);
            }

            await using (var drop = Command(DropExpiredDavLocks, connection, Time(s.now)))
            {
                drop.Transaction = transaction;
                await drop.ExecuteNonQueryAsync(ct);
            }

            var held = await ReadDavLocksAsync(connection, transaction, s.now, ct);
            if (s.conflict(held) is { } found)
            {
                return found;
            }

            await using (var insert = Command(
                InsertDavLock,
                connection,
                Text(s.row.Token),
                Text(s.row.Root),
                Flag(s.row.Exclusive),
                Flag(s.row.Infinite),
                new NpgsqlParameter<string?> { TypedValue = s.row.Owner, NpgsqlDbType = NpgsqlDbType.Text },
                Milliseconds(s.row.Timeout),
                Time(s.row.ExpiresAt)))
            {
                insert.Transaction = transaction;
                await insert.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewDavLockAsync(string token, TimeSpan timeout, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync((token, timeout, expiresAt, now), async (connection, s, ct) =>
        {
            await using var command = Command(RenewDavLock, connection, Text(s.token), Milliseconds(s.timeout), Time(s.expiresAt), Time(s.now));
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken).AsTask();

    /// <inheritdoc />
    public Task<bool> RemoveDavLockAsync(string token, CancellationToken cancellationToken) =>
        ReadAsync(token, async (connection, t, ct) =>
        {
            await using var command = Command(DeleteDavLock, connection, Text(t));
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken).AsTask();

    /// <inheritdoc />
    public Task RemoveDavLocksWithinAsync(string root, CancellationToken cancellationToken) =>
        ReadAsync(root, async (connection, r, ct) =>
        {
            await using var command = Command(DeleteDavLocksWithin, connection, Text(r), Text(r.EndsWith('/') ? r : r + "/"));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken).AsTask();

    private static async Task<List<DavLockRow>> ReadDavLocksAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(ListDavLocks, connection, Time(now));
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<DavLockRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DavLockRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetBoolean(2),
                reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                TimeSpan.FromMilliseconds(reader.GetInt64(5)),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return rows;
    }

    private static NpgsqlParameter<bool> Flag(bool value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Boolean };

    private static NpgsqlParameter<long> Milliseconds(TimeSpan value) => new() { TypedValue = (long)value.TotalMilliseconds, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) => new() { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
