namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// The SQLite index schema and its migrations. <c>PRAGMA user_version</c> holds the schema version and
/// <c>PRAGMA application_id</c> marks the file as ours. To change the schema, append a step to
/// <see cref="Migrations"/> (step <c>i</c> moves version <c>i</c> to <c>i + 1</c>); never edit a released step.
/// A file with a higher version than <see cref="CurrentVersion"/> was written by a newer rclonepool and is
/// recreated empty (the index is a cache of the manifests on the remotes).
/// </summary>
internal static class IndexSchema
{
    /// <summary>"RPIX" — identifies an rclonepool index among SQLite files.</summary>
    public const int ApplicationId = 0x52504958;

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Tables every valid index has; a file missing one is treated as damaged.</summary>
    public static readonly string[] RequiredTables = ["meta", "entries", "manifests", "dirs", "stored", "remote_bytes", "superseded", "totals"];

    public static readonly string[] Migrations =
    [
        // 0 -> 1: the first schema.
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- One row per file id: the current revision's listing columns. Kept slim so listings read few pages;
        -- the manifest JSON lives in 'manifests' under the same id.
        CREATE TABLE entries (
            id       INTEGER PRIMARY KEY,
            file_id  TEXT NOT NULL UNIQUE,
            path     TEXT NOT NULL UNIQUE,
            parent   TEXT NOT NULL,
            name     TEXT NOT NULL,
            kind     INTEGER NOT NULL,   -- 0 file, 1 directory
            size     INTEGER NOT NULL,
            modified INTEGER NOT NULL,   -- UTC ticks
            written  INTEGER NOT NULL,   -- UTC ticks
            revision INTEGER NOT NULL
        );
        CREATE INDEX entries_by_parent ON entries (parent, path);

        CREATE TABLE manifests (
            id   INTEGER PRIMARY KEY,    -- entries.id
            json BLOB NOT NULL           -- ManifestSerializer bytes
        );

        -- Directories implied by entries below them: refs counts the entries (files and directory manifests)
        -- at any depth below; modified is the newest modified time of an entry added below (never lowered).
        CREATE TABLE dirs (
            path     TEXT PRIMARY KEY NOT NULL,
            parent   TEXT NOT NULL,
            refs     INTEGER NOT NULL,
            modified INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX dirs_by_parent ON dirs (parent, path);

        -- Stored bytes of each current manifest per remote, and their running totals per remote.
        CREATE TABLE stored (
            file_id TEXT NOT NULL,
            remote  TEXT NOT NULL,
            bytes   INTEGER NOT NULL,
            PRIMARY KEY (file_id, remote)
        ) WITHOUT ROWID;
        CREATE TABLE remote_bytes (
            remote TEXT PRIMARY KEY NOT NULL,
            bytes  INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- File ids that lost a path collision, with the revision that lost: older puts stay ignored.
        CREATE TABLE superseded (
            file_id  TEXT PRIMARY KEY NOT NULL,
            revision INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 1 -> 2: what a listing needs to describe a file without its manifest (ETag, creation date, dead
        // properties). Rows written before carry none, so the index is marked unpopulated and rebuilt.
        """
        ALTER TABLE entries ADD COLUMN sha256 TEXT;
        ALTER TABLE entries ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE entries ADD COLUMN properties BLOB;
        DELETE FROM meta WHERE key = 'populated';
        """,

        // 2 -> 3: files by size, for duplicate detection (a file of the same size is the only possible duplicate).
        """
        CREATE INDEX entries_by_size ON entries (size) WHERE kind = 0;
        """,

        // 3 -> 4: files by content, so a duplicate is found with one indexed lookup however many files share its size.
        """
        CREATE INDEX entries_by_content ON entries (sha256, size) WHERE kind = 0;
        """,

        // 4 -> 5: the pool's totals, kept as the index changes so that counting the pool reads a few rows instead of every
        // entry and manifest. Objects per remote are counted from the manifests already indexed (no rebuild needed).
        """
        ALTER TABLE stored ADD COLUMN objects INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE remote_bytes ADD COLUMN objects INTEGER NOT NULL DEFAULT 0;
        WITH counted AS (
            SELECT e.file_id AS file_id, json_extract(l.value, '$.remote') AS remote, count(*) AS objects
            FROM entries e JOIN manifests m ON m.id = e.id,
                json_each(CAST(m.json AS TEXT), '$.chunks') c, json_each(c.value, '$.locations') l
            GROUP BY 1, 2)
        UPDATE stored SET objects = counted.objects FROM counted WHERE counted.file_id = stored.file_id AND counted.remote = stored.remote;
        DELETE FROM remote_bytes;
        INSERT INTO remote_bytes (remote, bytes, objects) SELECT remote, sum(bytes), sum(objects) FROM stored GROUP BY remote;

        -- One row: files, directories (explicit and implied, as a recursive listing of the root shows them) and the
        -- files' bytes. The triggers keep it in step with every change to entries and dirs, whoever makes it.
        CREATE TABLE totals (
            id          INTEGER PRIMARY KEY CHECK (id = 0),
            files       INTEGER NOT NULL,
            directories INTEGER NOT NULL,
            bytes       INTEGER NOT NULL
        );
        INSERT INTO totals (id, files, directories, bytes) SELECT 0,
            (SELECT count(*) FROM entries WHERE kind = 0),
            (SELECT count(*) FROM entries WHERE kind = 1) + (SELECT count(*) FROM dirs d WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)),
            (SELECT coalesce(sum(size), 0) FROM entries WHERE kind = 0);

        -- A directory path counts once: as an entry of kind 1, or as an implied directory where no entry is at its path.
        CREATE TRIGGER totals_entry_in AFTER INSERT ON entries BEGIN
            UPDATE totals SET
                files = files + (new.kind = 0),
                bytes = bytes + CASE WHEN new.kind = 0 THEN new.size ELSE 0 END,
                directories = directories + (new.kind = 1) - EXISTS (SELECT 1 FROM dirs WHERE path = new.path);
        END;
        CREATE TRIGGER totals_entry_out AFTER DELETE ON entries BEGIN
            UPDATE totals SET
                files = files - (old.kind = 0),
                bytes = bytes - CASE WHEN old.kind = 0 THEN old.size ELSE 0 END,
                directories = directories - (old.kind = 1) + EXISTS (SELECT 1 FROM dirs WHERE path = old.path);
        END;
        CREATE TRIGGER totals_entry_changed AFTER UPDATE OF path, kind, size ON entries BEGIN
            UPDATE totals SET
                files = files - (old.kind = 0) + (new.kind = 0),
                bytes = bytes - CASE WHEN old.kind = 0 THEN old.size ELSE 0 END + CASE WHEN new.kind = 0 THEN new.size ELSE 0 END,
                directories = directories - (old.kind = 1) + (new.kind = 1)
                    + EXISTS (SELECT 1 FROM dirs WHERE path = old.path) - EXISTS (SELECT 1 FROM dirs WHERE path = new.path);
        END;
        CREATE TRIGGER totals_dir_in AFTER INSERT ON dirs BEGIN
            UPDATE totals SET directories = directories + NOT EXISTS (SELECT 1 FROM entries WHERE path = new.path);
        END;
        CREATE TRIGGER totals_dir_out AFTER DELETE ON dirs BEGIN
            UPDATE totals SET directories = directories - NOT EXISTS (SELECT 1 FROM entries WHERE path = old.path);
        END;
        """,

        // 5 -> 6: the content-addressed chunk objects (enable_deduplication) each indexed manifest names, and where: a
        // deduplicating upload asks here before it asks the remotes (docs/efficiency.md, "index first"). Manifests
        // indexed before this step have no rows: a missing row only means "ask the remotes", so no rebuild is needed.
        """
        CREATE TABLE content_objects (
            object  TEXT NOT NULL,
            remote  TEXT NOT NULL,
            file_id TEXT NOT NULL,
            PRIMARY KEY (object, remote, file_id)
        ) WITHOUT ROWID;
        CREATE INDEX content_objects_by_file ON content_objects (file_id);
        """,
    ];
}
