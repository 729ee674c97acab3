using Npgsql;
using NpgsqlTypes;

namespace RclonePool.Core.Index.Postgres;

public sealed partial class PostgresPoolIndex : ISharedPathLocks
{
    /// <summary>Transaction-level advisory locks keyed by (schema, path) on a connection of their own, held until disposal.</summary>
    private const string LockPath = "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext($1))";

    /// <inheritdoc />
    /// <remarks>
    /// Each held set costs one pooled connection and an open transaction. A gateway that dies ends its session, and the
    /// server releases its locks at once; hash collisions between two paths only make unrelated writes wait for each other.
    /// </remarks>
    public async ValueTask<IDisposable> LockPathsAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _source.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var path in paths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await using var command = new NpgsqlCommand(LockPath, connection, transaction);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = path, NpgsqlDbType = NpgsqlDbType.Text });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new HeldPaths(connection, transaction);
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw PostgresErrors.IsDatabaseError(e) ? PostgresErrors.From(e, Server) : e;
        }
    }

    /// <summary>Ends the transaction (which releases the locks) and returns the connection to the pool.</summary>
    private sealed class HeldPaths(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                transaction.Rollback();
            }
            catch (Exception e) when (PostgresErrors.IsDatabaseError(e) || e is InvalidOperationException)
            {
                // A broken connection has lost its session, and with it the locks.
            }
            finally
            {
                transaction.Dispose();
                connection.Dispose();
            }
        }
    }
}
