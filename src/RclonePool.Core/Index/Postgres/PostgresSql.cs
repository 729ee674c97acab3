namespace RclonePool.Core.Index.Postgres;

/// <summary>Every statement the PostgreSQL index runs; parameters are positional (<c>$1</c>…), bound in the order written.</summary>
internal static class PostgresSql
{
    private const string EntryColumns = "path, kind, size, modified, file_id, revision, sha256, created, properties";

    private const string ImpliedColumns = "d.path, 1::smallint, 0::bigint, d.modified, NULL::text, 0::bigint, NULL::text, 0::bigint, NULL::bytea";

    public const string IsPopulated = "SELECT value FROM meta WHERE key = 'populated'";

    /// <summary>A manifest with what names its revision (file id, revision, written): the JSON is parsed only when the cache does not hold it.</summary>
    public const string ManifestByPath = "SELECT file_id, revision, written, json FROM entries WHERE path = $1";

    public const string ManifestById = "SELECT file_id, revision, written, json FROM entries WHERE file_id = $1";

    public const string Exists = "SELECT EXISTS (SELECT 1 FROM entries WHERE path = $1) OR EXISTS (SELECT 1 FROM dirs WHERE path = $1)";

    /// <summary>The manifest at a path as <see cref="ManifestByPath"/>, else one row of nulls when a directory is implied there.</summary>
    public const string Lookup = """
        (SELECT file_id, revision, written, json FROM entries WHERE path = $1)
        UNION ALL
        (SELECT NULL, NULL, NULL, NULL FROM dirs WHERE path = $1)
        LIMIT 1
        """;

    /// <summary>Direct children: entries and implied directories (unless an entry is at the same path), merged in path order.</summary>
    public const string ListChildren = $"""
        SELECT {EntryColumns} FROM entries WHERE parent = $1
        UNION ALL
        SELECT {ImpliedColumns} FROM dirs d WHERE d.parent = $1 AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)
        ORDER BY 1
        """;

    /// <summary>All descendants: paths in [$1, $2), i.e. starting with "dir/" ('0' follows '/').</summary>
    public const string ListDescendants = $"""
        SELECT {EntryColumns} FROM entries WHERE path >= $1 AND path < $2
        UNION ALL
        SELECT {ImpliedColumns} FROM dirs d WHERE d.path >= $1 AND d.path < $2 AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)
        ORDER BY 1
        """;

    public const string StoredBytesByRemote = "SELECT remote, bytes FROM remote_bytes";

    /// <summary>The totals row (remote null) then one row per remote, in one statement so that they are one snapshot.</summary>
    public const string Totals = """
        SELECT NULL::text, files, directories, bytes FROM totals
        UNION ALL
        SELECT remote, objects, bytes, 0 FROM remote_bytes
        """;

    public const string AnyFileOfSize = "SELECT EXISTS (SELECT 1 FROM entries WHERE kind = 0 AND size = $1)";

    public const string FilesWithContent = "SELECT json FROM entries WHERE kind = 0 AND sha256 = $1 AND size = $2 LIMIT $3";

    public const string PutEntry = "SELECT put_entry($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

    public const string RemoveEntry = "SELECT remove_entry($1)";

    /// <summary>The start of a bulk load: the totals triggers stand aside until the transaction ends, and the content goes.</summary>
    public const string BeginBulk = "SELECT set_config('rclonepool.bulk', '1', true); SELECT clear_content()";

    public const string EndBulk = """
        SELECT recount_totals();
        INSERT INTO meta (key, value) VALUES ('populated', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        SELECT set_config('rclonepool.bulk', '', true)
        """;
}
