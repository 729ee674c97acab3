using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    public ValueTask<IReadOnlyList<Manifest>> FilesOfSizeAsync(long size, int limit, CancellationToken cancellationToken) =>
        ReadAsync<(long Size, int Limit), IReadOnlyList<Manifest>>((size, limit), static (connection, query) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = IndexSql.FilesOfSize;
            command.Parameters.AddWithValue("$size", query.Size);
            command.Parameters.AddWithValue("$limit", query.Limit);
            using var reader = command.ExecuteReader();
            var manifests = new List<Manifest>();
            while (reader.Read())
            {
                manifests.Add(ManifestSerializer.Deserialize(reader.GetFieldValue<byte[]>(0), $"in the index (a file of {query.Size} bytes)"));
            }

            return manifests;
        }, cancellationToken);
}
