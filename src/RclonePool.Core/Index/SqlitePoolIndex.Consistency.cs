using Microsoft.Data.Sqlite;
using RclonePool.Core.Index.Sqlite;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    /// <summary>
    /// Recomputes the derived tables (implied directories, stored bytes and objects per remote, the totals) from the entries and lists
    /// every disagreement; empty when the index is consistent. Reads the whole index: for tests and diagnostics.
    /// </summary>
    internal ValueTask<IReadOnlyList<string>> CheckConsistencyAsync(CancellationToken cancellationToken) =>
        ReadAsync<int, IReadOnlyList<string>>(0, static (indexConnection, _) =>
        {
            var connection = indexConnection.Connection;
            using var transaction = connection.BeginTransaction(deferred: true);
            var problems = new List<string>();
            var expectedDirs = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var path in Column(connection, "SELECT path FROM entries;"))
            {
                for (var slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
                {
                    var directory = path[..slash];
                    expectedDirs[directory] = expectedDirs.GetValueOrDefault(directory) + 1;
                }
            }

            var actualDirs = Pairs(connection, "SELECT path, refs FROM dirs;");
            Compare("implied directory", expectedDirs, actualDirs, problems);
            Compare(
                "stored bytes of remote",
                Pairs(connection, "SELECT remote, sum(bytes) FROM stored GROUP BY remote;"),
                Pairs(connection, "SELECT remote, bytes FROM remote_bytes;"),
                problems);
            Compare(
                "objects of remote",
                Pairs(connection, "SELECT remote, sum(objects) FROM stored GROUP BY remote;"),
                Pairs(connection, "SELECT remote, objects FROM remote_bytes;"),
                problems);
            Compare(
                "total",
                Pairs(connection, """
                    SELECT 'files', count(*) FROM entries WHERE kind = 0
                    UNION ALL SELECT 'bytes', coalesce(sum(size), 0) FROM entries WHERE kind = 0
                    UNION ALL SELECT 'directories', (SELECT count(*) FROM entries WHERE kind = 1)
                        + (SELECT count(*) FROM dirs d WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.path = d.path));
                    """),
                Pairs(connection, "SELECT 'files', files FROM totals UNION ALL SELECT 'bytes', bytes FROM totals UNION ALL SELECT 'directories', directories FROM totals;"),
                problems);
            Compare(
                "row count",
                Pairs(connection, "SELECT 'entries', count(*) FROM entries;"),
                Pairs(connection, "SELECT 'entries', count(*) FROM manifests m JOIN entries e ON e.id = m.id;"),
                problems);
            foreach (var id in Column(connection, "SELECT file_id FROM superseded WHERE file_id IN (SELECT file_id FROM entries);"))
            {
                problems.Add($"file id {id} is both current and superseded");
            }

            foreach (var (path, parent) in Rows(connection, "SELECT path, parent FROM entries UNION ALL SELECT path, parent FROM dirs;"))
            {
                if (parent != IndexPaths.Parent(path))
                {
                    problems.Add($"{path} has the parent {parent}");
                }
            }

            return problems;
        }, cancellationToken);

    private static void Compare(string what, Dictionary<string, long> expected, Dictionary<string, long> actual, List<string> problems)
    {
        foreach (var (key, value) in expected)
        {
            if (actual.GetValueOrDefault(key) != value)
            {
                problems.Add($"{what} {key}: expected {value}, found {(actual.TryGetValue(key, out var found) ? found : "none")}");
            }
        }

        foreach (var key in actual.Keys.Where(k => !expected.ContainsKey(k)))
        {
            problems.Add($"{what} {key}: not expected, found {actual[key]}");
        }
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static List<(string, string)> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<(string, string)>();
        while (reader.Read())
        {
            values.Add((reader.GetString(0), reader.GetString(1)));
        }

        return values;
    }

    private static Dictionary<string, long> Pairs(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values[reader.GetString(0)] = reader.GetInt64(1);
        }

        return values;
    }
}
