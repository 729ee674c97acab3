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
    public static readonly string[] RequiredTables = ["meta", "entries", "manifests", "dirs", "stored", "remote_bytes", "superseded"];

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
    ];
}
