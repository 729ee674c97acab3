using Npgsql;
using NpgsqlTypes;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index.Postgres;

public sealed partial class PostgresPoolIndex
{
    /// <summary>Puts sent to the server in one round trip during <see cref="ReplaceAllAsync"/>.</summary>
    private const int BulkBatch = 256;

    public ValueTask PutAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PutAsync(manifest, ManifestSerializer.Serialize(manifest), cancellationToken);
    }

    public async ValueTask PutAsync(Manifest manifest, byte[] serialized, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(serialized);
        IndexableManifest.Validate(manifest);
        await WriteAsync((manifest, serialized), static async (connection, state, ct) =>
        {
            await using var command = PutCommand(state.manifest, state.serialized);
            command.Connection = connection;
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    public async ValueTask RemoveAsync(string fileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        await WriteAsync(fileId, static async (connection, id, ct) =>
        {
            await using var command = Command(PostgresSql.RemoveEntry, connection, Text(id));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the content in one transaction (readers, on every gateway, see the old content until it commits) and marks
    /// the index populated. Other writers of the pool wait until it commits. An invalid manifest changes nothing.
    /// </summary>
    public async ValueTask ReplaceAllAsync(IEnumerable<Manifest> manifests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        await WriteAsync(manifests, static async (connection, manifests, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var begin = new NpgsqlCommand(PostgresSql.BeginBulk, connection, transaction))
            {
                await begin.ExecuteNonQueryAsync(ct);
            }

            var batch = new NpgsqlBatch(connection, transaction);
            try
            {
                foreach (var manifest in manifests)
                {
                    ct.ThrowIfCancellationRequested();
                    IndexableManifest.Validate(manifest);
                    batch.BatchCommands.Add(PutBatchCommand(manifest, ManifestSerializer.Serialize(manifest)));
                    if (batch.BatchCommands.Count == BulkBatch)
                    {
                        await batch.ExecuteNonQueryAsync(ct);
                        await batch.DisposeAsync();
                        batch = new NpgsqlBatch(connection, transaction);
                    }
                }

                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(ct);
                }
            }
            finally
            {
                await batch.DisposeAsync();
            }

            await using (var end = new NpgsqlCommand(PostgresSql.EndBulk, connection, transaction))
            {
                await end.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    private async ValueTask WriteAsync<TState>(TState state, Func<NpgsqlConnection, TState, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            await body(connection, state, cancellationToken);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.From(e, Server);
        }
    }

    private static NpgsqlCommand PutCommand(Manifest manifest, byte[] json)
    {
        var command = new NpgsqlCommand(PostgresSql.PutEntry);
        command.Parameters.AddRange(PutParameters(manifest, json));
        return command;
    }

    private static NpgsqlBatchCommand PutBatchCommand(Manifest manifest, byte[] json)
    {
        var command = new NpgsqlBatchCommand(PostgresSql.PutEntry);
        command.Parameters.AddRange(PutParameters(manifest, json));
        return command;
    }

    /// <summary>The arguments of <c>put_entry</c>: the listing columns, the JSON, and the stored bytes and objects per remote.</summary>
    private static NpgsqlParameter[] PutParameters(Manifest manifest, byte[] json)
    {
        var stored = new Dictionary<string, (long Bytes, long Objects)>(StringComparer.Ordinal);
        foreach (var location in manifest.Chunks.SelectMany(c => c.Locations))
        {
            var (bytes, objects) = stored.GetValueOrDefault(location.Remote);
            stored[location.Remote] = (bytes + location.StoredLength, objects + 1);
        }

        return
        [
            Text(manifest.FileId),
            Text(manifest.Path),
            Text(IndexPaths.Parent(manifest.Path)),
            new NpgsqlParameter<short> { TypedValue = (short)IndexPaths.KindCode(manifest.Kind) },
            Int64(manifest.Size),
            Int64(manifest.Modified.UtcTicks),
            Int64(manifest.Written.UtcTicks),
            Int64(manifest.Revision),
            new NpgsqlParameter { Value = (object?)manifest.Sha256 ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            Int64(manifest.Created.UtcTicks),
            new NpgsqlParameter
            {
                Value = manifest.Properties is { Count: > 0 } properties ? ManifestSerializer.SerializeProperties(properties) : DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Bytea,
            },
            new NpgsqlParameter<byte[]> { TypedValue = json, NpgsqlDbType = NpgsqlDbType.Bytea },
            new NpgsqlParameter<string[]> { TypedValue = [.. stored.Keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new NpgsqlParameter<long[]> { TypedValue = [.. stored.Values.Select(v => v.Bytes)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
            new NpgsqlParameter<long[]> { TypedValue = [.. stored.Values.Select(v => v.Objects)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
        ];
    }

    private static NpgsqlParameter<long> Int64(long value) => new() { TypedValue = value };
}
