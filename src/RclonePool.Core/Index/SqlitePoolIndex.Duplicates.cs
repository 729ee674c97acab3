using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    public ValueTask<bool> AnyFileOfSizeAsync(long size, CancellationToken cancellationToken) =>
        ReadAsync(size, static (connection, size) =>
        {
            var command = connection.Command(IndexSql.AnyFileOfSize);
            command.Parameters[0].Value = size;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Manifest>> FilesWithContentAsync(long size, string sha256, int limit, CancellationToken cancellationToken) =>
        ReadAsync<(long Size, string Sha256, int Limit), IReadOnlyList<Manifest>>((size, sha256, limit), static (connection, query) =>
        {
            var command = connection.Command(IndexSql.FilesWithContent);
            command.Parameters["$size"].Value = query.Size;
            command.Parameters["$sha256"].Value = query.Sha256;
            command.Parameters["$limit"].Value = query.Limit;
            using var reader = command.ExecuteReader();
            var manifests = new List<Manifest>();
            while (reader.Read())
            {
                manifests.Add(ManifestSerializer.Deserialize(reader.GetFieldValue<byte[]>(0), $"in the index (a file of {query.Size} bytes)"));
            }

            return manifests;
        }, cancellationToken);
}
