using Microsoft.Data.Sqlite;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    /// <summary>
    /// A streaming listing: one statement (a consistent snapshot) read row by row. On a SQLite error it releases
    /// its connection before translating the error, since recovery may move the file aside.
    /// </summary>
    private sealed class ListCursor : IDisposable
    {
        private readonly SqlitePoolIndex _index;
        private SqliteConnection? _connection;
        private SqliteCommand? _command;
        private SqliteDataReader? _reader;

        private ListCursor(SqlitePoolIndex index) => _index = index;

        public static ListCursor Open(SqlitePoolIndex index, string directory, bool recursive)
        {
            var cursor = new ListCursor(index);
            try
            {
                cursor._connection = index._database.OpenConnection();
                cursor._command = cursor._connection.CreateCommand();
                if (recursive)
                {
                    var (low, high) = IndexPaths.DescendantRange(directory);
                    cursor._command.CommandText = IndexSql.ListDescendants;
                    cursor._command.Parameters.AddWithValue("$low", low);
                    cursor._command.Parameters.AddWithValue("$high", high);
                }
                else
                {
                    cursor._command.CommandText = IndexSql.ListChildren;
                    cursor._command.Parameters.AddWithValue("$parent", directory);
                }

                cursor._reader = cursor._command.ExecuteReader();
                return cursor;
            }
            catch (SqliteException e)
            {
                cursor.Dispose();
                throw index.Translate(e);
            }
            catch
            {
                cursor.Dispose();
                throw;
            }
        }

        public bool TryRead(out IndexEntry entry)
        {
            entry = null!;
            try
            {
                var reader = _reader!;
                if (!reader.Read())
                {
                    return false;
                }

                entry = IndexRows.Entry(reader, reader.GetInt64(1));
                return true;
            }
            catch (SqliteException e)
            {
                Dispose();
                throw _index.Translate(e);
            }
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _command?.Dispose();
            _connection?.Dispose();
            _reader = null;
            _command = null;
            _connection = null;
        }
    }
}
