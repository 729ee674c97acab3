using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    public ValueTask<bool> AnyFileOfSizeAsync(long size, CancellationToken cancellationToken) =>
        ReadAsync(size, static (connection, size) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = IndexSql.AnyFileOfSize;
            command.Parameters.AddWithValue("$size", size);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Manifest>> FilesWithContentAsync(long size, string sha256, int limit, CancellationToken cancellationToken) =>
        ReadAsync<(long Size, string Sha256, int Limit), IReadOnlyList<Manifest>>((size, sha256, limit), static (connection, query) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = IndexSql.FilesWithContent;
            command.Parameters.AddWithValue("$size", query.Size);
            command.Parameters.AddWithValue("$sha256", query.Sha256);
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
