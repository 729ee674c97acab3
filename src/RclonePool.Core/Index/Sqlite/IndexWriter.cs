using Microsoft.Data.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// The changes of one write transaction: puts and removes that keep the entry rows, the implied directory
/// reference counts and the per-remote stored bytes in step. Statements stay prepared on the connection
/// (<see cref="IndexConnection"/>), so a put costs a few statement executions.
/// </summary>
internal sealed class IndexWriter
{
    private readonly IndexConnection _connection;
    private readonly Dictionary<string, (long Bytes, long Objects)> _storedByRemote = new(StringComparer.Ordinal);

    public IndexWriter(IndexConnection connection) => _connection = connection;

    /// <summary>
    /// Records a manifest: ignores an older revision, moves a renamed entry, resolves a path collision.
    /// <paramref name="firstOfItsFileId"/>: the first put of a file id in a bulk load after <see cref="Clear"/>, which has
    /// no row and no superseded revision, so the lookups by file id are skipped.
    /// </summary>
    public void Put(Manifest manifest, byte[] json, bool firstOfItsFileId = false)
    {
        var existing = firstOfItsFileId ? null : FindBy(IndexSql.FindById, "$file_id", manifest.FileId);
        if (existing is { } current && current.Revision >= manifest.Revision)
        {
            return;
        }

        if (existing is null && !firstOfItsFileId && SupersededRevision(manifest.FileId) >= manifest.Revision)
        {
            return;
        }

        var written = manifest.Written.UtcTicks;
        if (FindBy(IndexSql.FindByPath, "$path", manifest.Path) is { } occupant && occupant.FileId != manifest.FileId)
        {
            if (IsNewer(occupant.Written, occupant.Revision, occupant.FileId, written, manifest.Revision, manifest.FileId))
            {
                if (existing is { } beaten)
                {
                    Delete(beaten);
                }

                MarkSuperseded(manifest.FileId, manifest.Revision);
                return;
            }

            Delete(occupant);
            MarkSuperseded(occupant.FileId, occupant.Revision);
        }

        if (existing is { } previous)
        {
            ReleaseDirectories(previous.Path);
            ReleaseStored(previous.FileId);
            var update = Command(IndexSql.UpdateEntry);
            update.Parameters["$id"].Value = previous.Id;
            BindEntry(update, manifest, written, json);
            update.ExecuteNonQuery();
        }
        else
        {
            var insert = Command(IndexSql.InsertEntry);
            BindEntry(insert, manifest, written, json);
            insert.ExecuteNonQuery();
            if (!firstOfItsFileId)
            {
                Execute(IndexSql.ForgetSuperseded, "$file_id", manifest.FileId);
            }
        }

        AddStored(manifest);
        AcquireDirectories(manifest.Path, manifest.Modified.UtcTicks);
    }

    /// <summary>
    /// The page cache of this connection for a bulk load (<paramref name="bulk"/>: 256 MiB, so the indexes of a million
    /// rows are built in memory instead of paging through SQLite's default 2 MB), or back to the default.
    /// </summary>
    public void SetBulkCache(bool bulk) => Command(bulk ? IndexSql.BulkCache : IndexSql.DefaultCache).ExecuteNonQuery();

    /// <summary>Forgets a file id; false when it was not there.</summary>
    public bool Remove(string fileId)
    {
        Execute(IndexSql.ForgetSuperseded, "$file_id", fileId);
        if (FindBy(IndexSql.FindById, "$file_id", fileId) is not { } row)
        {
            return false;
        }

        Delete(row);
        return true;
    }

    public void Clear() => Command(IndexSql.ClearContent).ExecuteNonQuery();

    public void SetMeta(string key, string value)
    {
        var command = Command(IndexSql.SetMeta);
        command.Parameters["$key"].Value = key;
        command.Parameters["$value"].Value = value;
        command.ExecuteNonQuery();
    }

    /// <summary>The newer of two entries at one path: later written, then higher revision, then the larger id (so every process picks the same).</summary>
    private static bool IsNewer(long written, long revision, string fileId, long otherWritten, long otherRevision, string otherFileId) =>
        written != otherWritten ? written > otherWritten
        : revision != otherRevision ? revision > otherRevision
        : string.CompareOrdinal(fileId, otherFileId) > 0;

    private void Delete(Row row)
    {
        ReleaseDirectories(row.Path);
        ReleaseStored(row.FileId);
        Execute(IndexSql.DeleteEntry, "$id", row.Id);
    }

    private void AcquireDirectories(string path, long modified)
    {
        var command = Command(IndexSql.AcquireDirectory);
        command.Parameters["$modified"].Value = modified;
        ForEachAncestor(path, command);
    }

    private void ReleaseDirectories(string path) => ForEachAncestor(path, Command(IndexSql.ReleaseDirectory));

    /// <summary>Runs the command for "/a" and "/a/b" of "/a/b/c" (the root is always there and not stored).</summary>
    private static void ForEachAncestor(string path, SqliteCommand command)
    {
        for (var slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var directory = path[..slash];
            command.Parameters["$path"].Value = directory;
            command.Parameters["$parent"].Value = IndexPaths.Parent(directory);
            command.ExecuteNonQuery();
        }
    }

    private void AddStored(Manifest manifest)
    {
        _storedByRemote.Clear();
        SqliteCommand? contentObject = null;
        foreach (var chunk in manifest.Chunks)
        {
            foreach (var location in chunk.Locations)
            {
                var (bytes, objects) = _storedByRemote.GetValueOrDefault(location.Remote);
                _storedByRemote[location.Remote] = (bytes + location.StoredLength, objects + 1);
                if (ManifestNames.IsContentAddressed(location.Object))
                {
                    contentObject ??= Command(IndexSql.AddContentObject);
                    contentObject.Parameters["$object"].Value = location.Object;
                    contentObject.Parameters["$remote"].Value = location.Remote;
                    contentObject.Parameters["$file_id"].Value = manifest.FileId;
                    contentObject.ExecuteNonQuery();
                }
            }
        }

        if (_storedByRemote.Count == 0)
        {
            return;
        }

        var command = Command(IndexSql.AddStored);
        command.Parameters["$file_id"].Value = manifest.FileId;
        foreach (var (remote, (bytes, objects)) in _storedByRemote)
        {
            command.Parameters["$remote"].Value = remote;
            command.Parameters["$bytes"].Value = bytes;
            command.Parameters["$objects"].Value = objects;
            command.ExecuteNonQuery();
        }
    }

    private void ReleaseStored(string fileId)
    {
        Execute(IndexSql.ReleaseStored, "$file_id", fileId);
        Execute(IndexSql.ReleaseContentObjects, "$file_id", fileId);
    }

    private long SupersededRevision(string fileId)
    {
        var command = Command(IndexSql.SupersededRevision);
        command.Parameters["$file_id"].Value = fileId;
        return command.ExecuteScalar() is long revision ? revision : 0;
    }

    private void MarkSuperseded(string fileId, long revision)
    {
        var command = Command(IndexSql.MarkSuperseded);
        command.Parameters["$file_id"].Value = fileId;
        command.Parameters["$revision"].Value = revision;
        command.ExecuteNonQuery();
    }

    private static void BindEntry(SqliteCommand command, Manifest manifest, long written, byte[] json)
    {
        var p = command.Parameters;
        p["$file_id"].Value = manifest.FileId;
        p["$path"].Value = manifest.Path;
        p["$parent"].Value = IndexPaths.Parent(manifest.Path);
        p["$name"].Value = IndexPaths.Name(manifest.Path);
        p["$kind"].Value = IndexPaths.KindCode(manifest.Kind);
        p["$size"].Value = manifest.Size;
        p["$modified"].Value = manifest.Modified.UtcTicks;
        p["$written"].Value = written;
        p["$revision"].Value = manifest.Revision;
        p["$sha256"].Value = (object?)manifest.Sha256 ?? DBNull.Value;
        p["$created"].Value = manifest.Created.UtcTicks;
        p["$properties"].Value = manifest.Properties is { Count: > 0 } properties ? ManifestSerializer.SerializeProperties(properties) : DBNull.Value;
        p["$json"].Value = json;
    }

    private Row? FindBy(IndexSql.Statement statement, string parameter, string value)
    {
        var command = Command(statement);
        command.Parameters[parameter].Value = value;
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4))
            : null;
    }

    private void Execute(IndexSql.Statement statement, string parameter, object value)
    {
        var command = Command(statement);
        command.Parameters[parameter].Value = value;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(IndexSql.Statement statement) => _connection.Command(statement);

    private readonly record struct Row(long Id, string FileId, string Path, long Revision, long Written);
}
