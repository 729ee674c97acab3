using Microsoft.Data.Sqlite;
using RclonePool.Core.Index.Sqlite;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    /// <summary>
    /// A streaming listing: one statement (a consistent snapshot) read row by row, each row made a
    /// <typeparamref name="T"/> by the reader given at open. On a SQLite error it releases its connection before
    /// translating the error, since recovery may move the file aside.
    /// </summary>
    private sealed class ListCursor<T> : IDisposable
    {
        private readonly SqlitePoolIndex _index;
        private readonly Func<SqliteDataReader, T> _read;
        private SqliteConnection? _connection;
        private SqliteCommand? _command;
        private SqliteDataReader? _reader;

        private ListCursor(SqlitePoolIndex index, Func<SqliteDataReader, T> read)
        {
            _index = index;
            _read = read;
        }

        /// <summary>
        /// Runs <paramref name="childrenSql"/> (binding $parent) or, when <paramref name="recursive"/>,
        /// <paramref name="descendantsSql"/> (binding $low and $high) for <paramref name="directory"/>.
        /// </summary>
        public static ListCursor<T> Open(SqlitePoolIndex index, string directory, bool recursive, string childrenSql, string descendantsSql, Func<SqliteDataReader, T> read)
        {
            var cursor = new ListCursor<T>(index, read);
            try
            {
                cursor._connection = index._database.OpenConnection();
                cursor._command = cursor._connection.CreateCommand();
                if (recursive)
                {
                    var (low, high) = IndexPaths.DescendantRange(directory);
                    cursor._command.CommandText = descendantsSql;
                    cursor._command.Parameters.AddWithValue("$low", low);
                    cursor._command.Parameters.AddWithValue("$high", high);
                }
                else
                {
                    cursor._command.CommandText = childrenSql;
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

        public bool TryRead(out T row)
        {
            row = default!;
            try
            {
                var reader = _reader!;
                if (!reader.Read())
                {
                    return false;
                }

                row = _read(reader);
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
