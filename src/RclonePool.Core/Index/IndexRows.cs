using System.Data.Common;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

/// <summary>The rows both indexes (SQLite and PostgreSQL) read back, in the column order their queries share.</summary>
internal static class IndexRows
{
    /// <summary>
    /// The entry of the current row: path, kind (as <paramref name="kindCode"/>: 1 a directory), size, modified, file id,
    /// revision, SHA-256, created, properties.
    /// </summary>
    public static IndexEntry Entry(DbDataReader reader, long kindCode) =>
        new(
            reader.GetString(0),
            IndexPaths.Kind(kindCode),
            reader.GetInt64(2),
            new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetInt64(5))
        {
            Sha256 = reader.IsDBNull(6) ? null : reader.GetString(6),
            Created = new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
            Properties = reader.IsDBNull(8) ? null : ManifestSerializer.DeserializeProperties(reader.GetFieldValue<byte[]>(8)),
        };

    /// <summary>
    /// The manifest of the current row (file id, revision, written, JSON), parsed only when <paramref name="cache"/> does
    /// not hold that revision; <paramref name="value"/> names the row in an error.
    /// </summary>
    public static Manifest Manifest(DbDataReader reader, ParsedManifestCache cache, string value)
    {
        var fileId = reader.GetString(0);
        var revision = reader.GetInt64(1);
        var written = reader.GetInt64(2);
        if (cache.TryGet(fileId, revision, written, out var cached))
        {
            return cached;
        }

        var json = reader.GetFieldValue<byte[]>(3);
        var manifest = ManifestSerializer.Deserialize(json, $"in the index ({value})");
        cache.Add(fileId, revision, written, manifest, json.Length);
        return manifest;
    }
}
