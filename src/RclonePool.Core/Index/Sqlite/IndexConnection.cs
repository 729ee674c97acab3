using Microsoft.Data.Sqlite;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// An open index connection that keeps its statements prepared: each <see cref="IndexSql.Statement"/> is compiled
/// once per connection and then only rebound and rerun (SQLite's parser and planner were the larger part of a
/// small lookup). Kept idle by <see cref="IndexDatabase"/> between uses; one user at a time.
/// </summary>
internal sealed class IndexConnection : IDisposable
{
    private readonly Dictionary<IndexSql.Statement, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);
    private SqliteTransaction? _transaction;

    public IndexConnection(SqliteConnection connection, int generation)
    {
        Connection = connection;
        Generation = generation;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The <see cref="IndexDatabase"/> generation it was opened in; a connection of an older one is closed, not reused.</summary>
    public int Generation { get; }

    /// <summary>Begins a write transaction (<c>BEGIN IMMEDIATE</c>) that the commands of <see cref="Command"/> join.</summary>
    public SqliteTransaction BeginWrite() => _transaction = Connection.BeginTransaction(deferred: false);

    /// <summary>
    /// The prepared command of a statement, its parameters created (values left from its last use), in the
    /// transaction of <see cref="BeginWrite"/> while that is open.
    /// </summary>
    public SqliteCommand Command(IndexSql.Statement statement)
    {
        if (!_commands.TryGetValue(statement, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = statement.Sql;
            foreach (var name in statement.Parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            _commands.Add(statement, command);
        }

        // A finished transaction has no connection any more; SQLite then runs each statement on its own.
        command.Transaction = _transaction is { Connection: not null } ? _transaction : null;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
