namespace RclonePool.Core.Index.Sqlite;

/// <summary>Every statement the SQLite index runs, with the parameters it binds.</summary>
internal static class IndexSql
{
    internal sealed record Statement(string Sql, params string[] Parameters);

    private const string EntryColumns = "path, kind, size, modified, file_id, revision, sha256, created, properties";

    // Reads.
    public static readonly Statement IsPopulated = new("SELECT value FROM meta WHERE key = 'populated';");

    /// <summary>A manifest with what names its revision (file id, revision, written): the JSON is read only when the parsed manifest is not cached.</summary>
    public static readonly Statement ManifestByPath = new("SELECT e.file_id, e.revision, e.written, m.json FROM entries e JOIN manifests m ON m.id = e.id WHERE e.path = $path;", "$path");

    public static readonly Statement ManifestById = new("SELECT e.file_id, e.revision, e.written, m.json FROM entries e JOIN manifests m ON m.id = e.id WHERE e.file_id = $file_id;", "$file_id");

    public static readonly Statement Exists = new(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE path = $path) OR EXISTS (SELECT 1 FROM dirs WHERE path = $path);",
        "$path");

    /// <summary>The manifest at a path as <see cref="ManifestByPath"/> does, else one row of nulls when a directory is implied there.</summary>
    public static readonly Statement Lookup = new(
        """
        SELECT e.file_id, e.revision, e.written, m.json FROM entries e JOIN manifests m ON m.id = e.id WHERE e.path = $path
        UNION ALL
        SELECT NULL, NULL, NULL, NULL FROM dirs WHERE path = $path
        LIMIT 1;
        """,
        "$path");

    /// <summary>Direct children: entries and implied directories (unless a directory manifest is at the same path), merged in path order.</summary>
    public const string ListChildren = $"""
        SELECT {EntryColumns} FROM entries WHERE parent = $parent
        UNION ALL
        SELECT d.path, 1, 0, d.modified, NULL, 0, NULL, 0, NULL FROM dirs d
        WHERE d.parent = $parent AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)
        ORDER BY 1;
        """;

    /// <summary>All descendants: paths in [$low, $high), i.e. starting with "dir/" ('0' follows '/').</summary>
    public const string ListDescendants = $"""
        SELECT {EntryColumns} FROM entries WHERE path >= $low AND path < $high
        UNION ALL
        SELECT d.path, 1, 0, d.modified, NULL, 0, NULL, 0, NULL FROM dirs d
        WHERE d.path >= $low AND d.path < $high AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)
        ORDER BY 1;
        """;

    /// <summary><see cref="ListChildren"/> with only what a listing prints: path, kind, size, modified.</summary>
    public const string ListChildrenRows = """
        SELECT path, kind, size, modified FROM entries WHERE parent = $parent
        UNION ALL
        SELECT d.path, 1, 0, d.modified FROM dirs d
        WHERE d.parent = $parent AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)
        ORDER BY 1;
        """;

    /// <summary><see cref="ListDescendants"/> with only what a listing prints: path, kind, size, modified.</summary>
    public const string ListDescendantsRows = """
        SELECT path, kind, size, modified FROM entries WHERE path >= $low AND path < $high
        UNION ALL
        SELECT d.path, 1, 0, d.modified FROM dirs d
        WHERE d.path >= $low AND d.path < $high AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)
        ORDER BY 1;
        """;

    /// <summary>Kind, size and modified time of the entry at a path, else of the directory implied there (one row at most).</summary>
    public static readonly Statement StatRow = new(
        """
        SELECT kind, size, modified FROM entries WHERE path = $path
        UNION ALL
        SELECT 1, 0, modified FROM dirs WHERE path = $path
        LIMIT 1;
        """,
        "$path");

    public static readonly Statement StoredBytesByRemote = new("SELECT remote, bytes FROM remote_bytes;");

    /// <summary>The totals row (remote null) then one row per remote, in one statement so that they are one snapshot.</summary>
    public static readonly Statement Totals = new(
        """
        SELECT NULL, files, directories, bytes FROM totals
        UNION ALL
        SELECT remote, objects, bytes, 0 FROM remote_bytes;
        """);

    /// <summary>Whether any file has this size (is hashing a local file for duplicate detection worth it).</summary>
    public static readonly Statement AnyFileOfSize = new("SELECT EXISTS (SELECT 1 FROM entries WHERE kind = 0 AND size = $size);", "$size");

    /// <summary>Manifests of files with this content (SHA-256 and size), at most $limit of them.</summary>
    public static readonly Statement FilesWithContent = new(
        "SELECT m.json FROM entries e JOIN manifests m ON m.id = e.id WHERE e.kind = 0 AND e.sha256 = $sha256 AND e.size = $size LIMIT $limit;",
        "$sha256",
        "$size",
        "$limit");

    // Writes (IndexWriter).
    public static readonly Statement FindById = new("SELECT id, file_id, path, revision, written FROM entries WHERE file_id = $file_id;", "$file_id");

    public static readonly Statement FindByPath = new("SELECT id, file_id, path, revision, written FROM entries WHERE path = $path;", "$path");

    private static readonly string[] EntryParameters = ["$file_id", "$path", "$parent", "$name", "$kind", "$size", "$modified", "$written", "$revision", "$sha256", "$created", "$properties", "$json"];

    public static readonly Statement InsertEntry = new(
        """
        INSERT INTO entries (file_id, path, parent, name, kind, size, modified, written, revision, sha256, created, properties)
        VALUES ($file_id, $path, $parent, $name, $kind, $size, $modified, $written, $revision, $sha256, $created, $properties);
        INSERT INTO manifests (id, json) VALUES (last_insert_rowid(), $json);
        """,
        EntryParameters);

    public static readonly Statement UpdateEntry = new(
        """
        UPDATE entries SET file_id = $file_id, path = $path, parent = $parent, name = $name, kind = $kind, size = $size,
            modified = $modified, written = $written, revision = $revision, sha256 = $sha256, created = $created,
            properties = $properties
        WHERE id = $id;
        UPDATE manifests SET json = $json WHERE id = $id;
        """,
        [.. EntryParameters, "$id"]);

    public static readonly Statement DeleteEntry = new("DELETE FROM manifests WHERE id = $id; DELETE FROM entries WHERE id = $id;", "$id");

    public static readonly Statement AcquireDirectory = new(
        """
        INSERT INTO dirs (path, parent, refs, modified) VALUES ($path, $parent, 1, $modified)
        ON CONFLICT (path) DO UPDATE SET refs = refs + 1, modified = max(modified, excluded.modified);
        """,
        "$path",
        "$parent",
        "$modified");

    public static readonly Statement ReleaseDirectory = new(
        "UPDATE dirs SET refs = refs - 1 WHERE path = $path; DELETE FROM dirs WHERE path = $path AND refs <= 0;",
        "$path",
        "$parent");

    public static readonly Statement AddStored = new(
        """
        INSERT INTO stored (file_id, remote, bytes, objects) VALUES ($file_id, $remote, $bytes, $objects);
        INSERT INTO remote_bytes (remote, bytes, objects) VALUES ($remote, $bytes, $objects)
        ON CONFLICT (remote) DO UPDATE SET bytes = bytes + excluded.bytes, objects = objects + excluded.objects;
        """,
        "$file_id",
        "$remote",
        "$bytes",
        "$objects");

    public static readonly Statement ReleaseStored = new(
        """
        UPDATE remote_bytes SET
            bytes = bytes - (SELECT s.bytes FROM stored s WHERE s.file_id = $file_id AND s.remote = remote_bytes.remote),
            objects = objects - (SELECT s.objects FROM stored s WHERE s.file_id = $file_id AND s.remote = remote_bytes.remote)
        WHERE remote IN (SELECT remote FROM stored WHERE file_id = $file_id);
        DELETE FROM remote_bytes WHERE objects <= 0 AND bytes <= 0 AND remote IN (SELECT remote FROM stored WHERE file_id = $file_id);
        DELETE FROM stored WHERE file_id = $file_id;
        """,
        "$file_id");

    public static readonly Statement AddContentObject = new(
        "INSERT OR IGNORE INTO content_objects (object, remote, file_id) VALUES ($object, $remote, $file_id);",
        "$object",
        "$remote",
        "$file_id");

    public static readonly Statement ReleaseContentObjects = new("DELETE FROM content_objects WHERE file_id = $file_id;", "$file_id");

    public static readonly Statement RemotesNaming = new("SELECT DISTINCT remote FROM content_objects WHERE object = $object;", "$object");

    public static readonly Statement SupersededRevision = new("SELECT revision FROM superseded WHERE file_id = $file_id;", "$file_id");

    public static readonly Statement MarkSuperseded = new(
        """
        INSERT INTO superseded (file_id, revision) VALUES ($file_id, $revision)
        ON CONFLICT (file_id) DO UPDATE SET revision = max(revision, excluded.revision);
        """,
        "$file_id",
        "$revision");

    public static readonly Statement ForgetSuperseded = new("DELETE FROM superseded WHERE file_id = $file_id;", "$file_id");

    /// <summary>The page cache of a bulk load (<see cref="IndexWriter.SetBulkCache"/>): 256 MiB, in KiB as SQLite counts a negative size.</summary>
    public static readonly Statement BulkCache = new("PRAGMA cache_size = -262144;");

    /// <summary>SQLite's default page cache (2,000 KiB), set again after a bulk load on a pooled connection.</summary>
    public static readonly Statement DefaultCache = new("PRAGMA cache_size = -2000;");

    public static readonly Statement ClearContent = new(
        """
        DELETE FROM manifests; DELETE FROM entries; DELETE FROM dirs; DELETE FROM stored; DELETE FROM remote_bytes; DELETE FROM superseded; DELETE FROM content_objects;
        UPDATE totals SET files = 0, directories = 0, bytes = 0;
        """);

    public static readonly Statement SetMeta = new(
        "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
        "$key",
        "$value");
}
