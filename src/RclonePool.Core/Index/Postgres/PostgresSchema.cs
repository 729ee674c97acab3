namespace RclonePool.Core.Index.Postgres;

/// <summary>
/// The PostgreSQL index schema and its migrations. Each pool has a schema of its own (<see cref="SchemaName"/>), so one
/// database can hold several pools; its <c>schema_version</c> table holds the version. To change the schema, append a
/// step to <see cref="Migrations"/> (step <c>i</c> moves version <c>i</c> to <c>i + 1</c>); never edit a released step.
/// A schema with a higher version than <see cref="CurrentVersion"/> was written by a newer rclonepool: opening refuses
/// it rather than recreating it, since other gateways share it.
/// </summary>
/// <remarks>
/// Writes are functions run by the server (<c>put_entry</c>, <c>remove_entry</c>): one round trip per change, the same
/// rules as the SQLite index's writer, and every writer of the pool serialised by a transaction-level advisory lock
/// (gateways on several machines included). Paths are <c>COLLATE "C"</c>, so listings sort by code point whatever the
/// database's locale. Triggers keep the totals row; a bulk load turns them off (<c>rclonepool.bulk</c>) and recounts.
/// </remarks>
internal static class PostgresSchema
{
    public static int CurrentVersion => Migrations.Length;

    /// <summary>The schema of a pool: <c>rclonepool_&lt;pool id&gt;</c> (the id is 32 lowercase hex characters).</summary>
    public static string SchemaName(string poolId) => "rclonepool_" + poolId;

    public static readonly string[] Migrations =
    [
        // 0 -> 1: the first schema.
        """
        CREATE TABLE meta (
            key   text PRIMARY KEY,
            value text NOT NULL
        );

        CREATE TABLE entries (
            file_id    text PRIMARY KEY COLLATE "C",
            path       text NOT NULL UNIQUE COLLATE "C",
            parent     text NOT NULL COLLATE "C",
            kind       smallint NOT NULL,   -- 0 file, 1 directory
            size       bigint NOT NULL,
            modified   bigint NOT NULL,     -- UTC ticks
            written    bigint NOT NULL,     -- UTC ticks
            revision   bigint NOT NULL,
            sha256     text,
            created    bigint NOT NULL,
            properties bytea,
            json       bytea NOT NULL       -- ManifestSerializer bytes
        );
        CREATE INDEX entries_by_parent ON entries (parent, path);
        CREATE INDEX entries_by_size ON entries (size) WHERE kind = 0;
        CREATE INDEX entries_by_content ON entries (sha256, size) WHERE kind = 0;

        -- Directories implied by entries below them: refs counts the entries at any depth below; modified is the newest
        -- modified time of an entry added below (never lowered).
        CREATE TABLE dirs (
            path     text PRIMARY KEY COLLATE "C",
            parent   text NOT NULL COLLATE "C",
            refs     bigint NOT NULL,
            modified bigint NOT NULL
        );
        CREATE INDEX dirs_by_parent ON dirs (parent, path);

        CREATE TABLE stored (
            file_id text NOT NULL COLLATE "C",
            remote  text NOT NULL,
            bytes   bigint NOT NULL,
            objects bigint NOT NULL,
            PRIMARY KEY (file_id, remote)
        );
        CREATE TABLE remote_bytes (
            remote  text PRIMARY KEY,
            bytes   bigint NOT NULL,
            objects bigint NOT NULL
        );

        -- File ids that lost a path collision, with the revision that lost: older puts stay ignored.
        CREATE TABLE superseded (
            file_id  text PRIMARY KEY COLLATE "C",
            revision bigint NOT NULL
        );

        CREATE TABLE totals (
            id          int PRIMARY KEY CHECK (id = 0),
            files       bigint NOT NULL,
            directories bigint NOT NULL,
            bytes       bigint NOT NULL
        );
        INSERT INTO totals VALUES (0, 0, 0, 0);

        -- "/a" and "/a/b" of "/a/b/c", with their parents (the root is always there and not stored).
        CREATE FUNCTION ancestors(p text) RETURNS TABLE (path text, parent text) LANGUAGE sql IMMUTABLE AS $f$
            SELECT '/' || array_to_string(a[2:i], '/'),
                   CASE WHEN i = 2 THEN '/' ELSE '/' || array_to_string(a[2:i - 1], '/') END
            FROM (SELECT string_to_array(p, '/') AS a) s, generate_series(2, cardinality(s.a) - 1) AS i
        $f$;

        CREATE FUNCTION bulk() RETURNS boolean LANGUAGE sql STABLE AS $f$
            SELECT coalesce(current_setting('rclonepool.bulk', true), '') = '1'
        $f$;

        -- A directory path counts once: as an entry of kind 1, or as an implied directory where no entry is at its path.
        CREATE FUNCTION totals_of_entries() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF bulk() THEN RETURN NULL; END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE totals SET
                    files = files - (OLD.kind = 0)::int,
                    bytes = bytes - CASE WHEN OLD.kind = 0 THEN OLD.size ELSE 0 END,
                    directories = directories - (OLD.kind = 1)::int + (EXISTS (SELECT 1 FROM dirs WHERE dirs.path = OLD.path))::int;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE totals SET
                    files = files + (NEW.kind = 0)::int,
                    bytes = bytes + CASE WHEN NEW.kind = 0 THEN NEW.size ELSE 0 END,
                    directories = directories + (NEW.kind = 1)::int - (EXISTS (SELECT 1 FROM dirs WHERE dirs.path = NEW.path))::int;
            END IF;
            RETURN NULL;
        END
        $f$;
        CREATE TRIGGER totals_of_entries AFTER INSERT OR DELETE OR UPDATE OF path, kind, size ON entries
            FOR EACH ROW EXECUTE FUNCTION totals_of_entries();

        CREATE FUNCTION totals_of_dirs() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF bulk() THEN RETURN NULL; END IF;
            IF TG_OP = 'INSERT' THEN
                UPDATE totals SET directories = directories + (NOT EXISTS (SELECT 1 FROM entries WHERE entries.path = NEW.path))::int;
            ELSE
                UPDATE totals SET directories = directories - (NOT EXISTS (SELECT 1 FROM entries WHERE entries.path = OLD.path))::int;
            END IF;
            RETURN NULL;
        END
        $f$;
        CREATE TRIGGER totals_of_dirs AFTER INSERT OR DELETE ON dirs FOR EACH ROW EXECUTE FUNCTION totals_of_dirs();

        CREATE FUNCTION recount_totals() RETURNS void LANGUAGE sql AS $f$
            UPDATE totals SET
                files = (SELECT count(*) FROM entries WHERE kind = 0),
                bytes = (SELECT coalesce(sum(size), 0) FROM entries WHERE kind = 0),
                directories = (SELECT count(*) FROM entries WHERE kind = 1)
                    + (SELECT count(*) FROM dirs d WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path));
        $f$;

        -- Takes away what an entry holds: its implied directories, its stored bytes, its row.
        CREATE FUNCTION delete_entry(p_file_id text, p_path text) RETURNS void LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM release_entry(p_file_id, p_path);
            DELETE FROM entries WHERE file_id = p_file_id;
        END
        $f$;

        CREATE FUNCTION release_entry(p_file_id text, p_path text) RETURNS void LANGUAGE plpgsql AS $f$
        BEGIN
            UPDATE dirs SET refs = refs - 1 WHERE path IN (SELECT a.path FROM ancestors(p_path) a);
            DELETE FROM dirs WHERE refs <= 0 AND path IN (SELECT a.path FROM ancestors(p_path) a);
            UPDATE remote_bytes r SET bytes = r.bytes - s.bytes, objects = r.objects - s.objects
                FROM stored s WHERE s.file_id = p_file_id AND s.remote = r.remote;
            DELETE FROM remote_bytes r WHERE r.objects <= 0 AND r.bytes <= 0
                AND r.remote IN (SELECT s.remote FROM stored s WHERE s.file_id = p_file_id);
            DELETE FROM stored WHERE file_id = p_file_id;
        END
        $f$;

        CREATE FUNCTION mark_superseded(p_file_id text, p_revision bigint) RETURNS void LANGUAGE sql AS $f$
            INSERT INTO superseded (file_id, revision) VALUES (p_file_id, p_revision)
            ON CONFLICT (file_id) DO UPDATE SET revision = greatest(superseded.revision, excluded.revision);
        $f$;

        -- Records a manifest revision: ignores an older one, moves a renamed entry, resolves a path collision (the
        -- later written entry wins, then the higher revision, then the larger file id).
        CREATE FUNCTION put_entry(
            p_file_id text, p_path text, p_parent text, p_kind smallint, p_size bigint, p_modified bigint, p_written bigint,
            p_revision bigint, p_sha256 text, p_created bigint, p_properties bytea, p_json bytea,
            p_remotes text[], p_bytes bigint[], p_objects bigint[]) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            cur record;
            occ record;
            has_cur boolean;
            lost bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext(current_schema()));
            SELECT file_id, path, revision INTO cur FROM entries WHERE file_id = p_file_id;
            has_cur := FOUND;
            IF has_cur AND cur.revision >= p_revision THEN RETURN; END IF;
            IF NOT has_cur THEN
                SELECT revision INTO lost FROM superseded WHERE file_id = p_file_id;
                IF FOUND AND lost >= p_revision THEN RETURN; END IF;
            END IF;

            SELECT file_id, path, revision, written INTO occ FROM entries WHERE path = p_path;
            IF FOUND AND occ.file_id <> p_file_id THEN
                IF (occ.written, occ.revision, occ.file_id) > (p_written, p_revision, p_file_id) THEN
                    IF has_cur THEN PERFORM delete_entry(cur.file_id, cur.path); END IF;
                    PERFORM mark_superseded(p_file_id, p_revision);
                    RETURN;
                END IF;
                PERFORM delete_entry(occ.file_id, occ.path);
                PERFORM mark_superseded(occ.file_id, occ.revision);
            END IF;

            IF has_cur THEN
                PERFORM release_entry(cur.file_id, cur.path);
                UPDATE entries SET path = p_path, parent = p_parent, kind = p_kind, size = p_size, modified = p_modified,
                    written = p_written, revision = p_revision, sha256 = p_sha256, created = p_created,
                    properties = p_properties, json = p_json
                WHERE file_id = p_file_id;
            ELSE
                INSERT INTO entries (file_id, path, parent, kind, size, modified, written, revision, sha256, created, properties, json)
                VALUES (p_file_id, p_path, p_parent, p_kind, p_size, p_modified, p_written, p_revision, p_sha256, p_created, p_properties, p_json);
                DELETE FROM superseded WHERE file_id = p_file_id;
            END IF;

            INSERT INTO stored (file_id, remote, bytes, objects)
                SELECT p_file_id, r, b, o FROM unnest(p_remotes, p_bytes, p_objects) AS u(r, b, o);
            INSERT INTO remote_bytes (remote, bytes, objects)
                SELECT r, b, o FROM unnest(p_remotes, p_bytes, p_objects) AS u(r, b, o)
            ON CONFLICT (remote) DO UPDATE SET bytes = remote_bytes.bytes + excluded.bytes, objects = remote_bytes.objects + excluded.objects;
            INSERT INTO dirs (path, parent, refs, modified) SELECT a.path, a.parent, 1, p_modified FROM ancestors(p_path) a
            ON CONFLICT (path) DO UPDATE SET refs = dirs.refs + 1, modified = greatest(dirs.modified, excluded.modified);
        END
        $f$;

        CREATE FUNCTION remove_entry(p_file_id text) RETURNS void LANGUAGE plpgsql AS $f$
        DECLARE
            cur record;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext(current_schema()));
            DELETE FROM superseded WHERE file_id = p_file_id;
            SELECT file_id, path INTO cur FROM entries WHERE file_id = p_file_id;
            IF FOUND THEN PERFORM delete_entry(cur.file_id, cur.path); END IF;
        END
        $f$;

        -- Empties the content before a bulk load (rows deleted, not truncated: readers keep the old content until commit).
        CREATE FUNCTION clear_content() RETURNS void LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext(current_schema()));
            DELETE FROM entries; DELETE FROM dirs; DELETE FROM stored; DELETE FROM remote_bytes; DELETE FROM superseded;
            DELETE FROM meta WHERE key = 'populated';
        END
        $f$;
        """,
        // 1 -> 2: the WebDAV locks every gateway shares (ISharedDavLocks).
        """
        CREATE TABLE dav_locks (
            token      text PRIMARY KEY,
            root       text NOT NULL COLLATE "C",
            exclusive  boolean NOT NULL,
            infinite   boolean NOT NULL,
            owner      text,
            timeout_ms bigint NOT NULL,
            expires_at timestamptz NOT NULL
        );
        CREATE INDEX dav_locks_by_root ON dav_locks (root);
        """,
    ];
}
