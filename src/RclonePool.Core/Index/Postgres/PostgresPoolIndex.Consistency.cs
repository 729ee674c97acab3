using Npgsql;

namespace RclonePool.Core.Index.Postgres;

public sealed partial class PostgresPoolIndex
{
    /// <summary>Every disagreement between the entries and what is derived from them (one row per problem).</summary>
    private const string Disagreements = """
        WITH expected_dirs AS (SELECT a.path, count(*) AS refs FROM entries e, ancestors(e.path) a GROUP BY a.path),
             stored_sums AS (SELECT remote, sum(bytes) AS bytes, sum(objects) AS objects FROM stored GROUP BY remote),
             recount AS (
                 SELECT count(*) FILTER (WHERE kind = 0) AS files,
                        coalesce(sum(size) FILTER (WHERE kind = 0), 0) AS bytes,
                        count(*) FILTER (WHERE kind = 1)
                            + (SELECT count(*) FROM dirs d WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path)) AS directories
                 FROM entries)
        SELECT 'implied directory ' || coalesce(x.path, d.path) || ': expected ' || coalesce(x.refs::text, 'none') || ', found ' || coalesce(d.refs::text, 'none')
        FROM expected_dirs x FULL JOIN dirs d ON d.path = x.path WHERE x.refs IS DISTINCT FROM d.refs
        UNION ALL
        SELECT 'remote ' || coalesce(s.remote, r.remote) || ': stored rows sum to ' || coalesce(s.bytes || ' bytes, ' || s.objects || ' objects', 'none')
            || ', totals say ' || coalesce(r.bytes || ' bytes, ' || r.objects || ' objects', 'none')
        FROM stored_sums s FULL JOIN remote_bytes r ON r.remote = s.remote WHERE (s.bytes, s.objects) IS DISTINCT FROM (r.bytes, r.objects)
        UNION ALL
        SELECT 'stored bytes of ' || file_id || ', which is not current' FROM stored WHERE file_id NOT IN (SELECT file_id FROM entries)
        UNION ALL
        SELECT format('totals: expected %s files, %s directories, %s bytes; found %s, %s, %s', c.files, c.directories, c.bytes, t.files, t.directories, t.bytes)
        FROM totals t, recount c WHERE (t.files, t.directories, t.bytes) IS DISTINCT FROM (c.files, c.directories, c.bytes)
        UNION ALL
        SELECT 'file id ' || file_id || ' is both current and superseded' FROM superseded WHERE file_id IN (SELECT file_id FROM entries)
        UNION ALL
        SELECT p.path || ' has the parent ' || p.parent FROM (SELECT path, parent FROM entries UNION ALL SELECT path, parent FROM dirs) p
        WHERE p.parent <> coalesce(nullif(regexp_replace(p.path, '/[^/]*$', ''), ''), '/')
        """;

    /// <summary>
    /// Recomputes the derived tables (implied directories, stored bytes and objects per remote, the totals) from the entries
    /// and lists every disagreement; empty when the index is consistent. Reads the whole index: for tests and diagnostics.
    /// </summary>
    internal ValueTask<IReadOnlyList<string>> CheckConsistencyAsync(CancellationToken cancellationToken) =>
        ReadAsync<int, IReadOnlyList<string>>(0, static async (connection, _, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await using var command = new NpgsqlCommand(Disagreements, connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var problems = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                problems.Add(reader.GetString(0));
            }

            return problems;
        }, cancellationToken);
}
