using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RclonePool.Core.Index.Postgres;

/// <summary>
/// Creates a pool's schema or brings it to <see cref="PostgresSchema.CurrentVersion"/>, in one transaction under an advisory
/// lock, so that gateways starting together migrate once and each sees the schema whole.
/// </summary>
internal static class PostgresMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource source, string server, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await source.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Unreachable(server, e);
        }

        await using (connection)
        {
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var quoted = "\"" + schema + "\"";
                await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtext('rclonepool migrate {schema}'))", cancellationToken);
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {quoted}; CREATE TABLE IF NOT EXISTS {quoted}.schema_version (version int NOT NULL)", cancellationToken);
                await using var read = new NpgsqlCommand($"SELECT max(version) FROM {quoted}.schema_version", connection, transaction);
                var found = await read.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
                if (found > PostgresSchema.CurrentVersion)
                {
                    throw PostgresErrors.NewerSchema(server, schema, found, PostgresSchema.CurrentVersion);
                }

                if (found == PostgresSchema.CurrentVersion)
                {
                    return;
                }

                for (var step = found; step < PostgresSchema.CurrentVersion; step++)
                {
                    await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {quoted}; " + PostgresSchema.Migrations[step], cancellationToken);
                }

                await ExecuteAsync(
                    connection,
                    transaction,
                    string.Create(CultureInfo.InvariantCulture, $"DELETE FROM {quoted}.schema_version; INSERT INTO {quoted}.schema_version VALUES ({PostgresSchema.CurrentVersion})"),
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                PostgresLog.Migrated(logger, schema, server, found, PostgresSchema.CurrentVersion);
            }
            catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
            {
                throw PostgresErrors.From(e, server);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
