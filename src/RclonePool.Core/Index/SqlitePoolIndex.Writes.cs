using Microsoft.Data.Sqlite;
using RclonePool.Core.Index.Sqlite;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex
{
    public ValueTask PutAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PutAsync(manifest, ManifestSerializer.Serialize(manifest), cancellationToken);
    }

    public ValueTask PutAsync(Manifest manifest, byte[] serialized, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(serialized);
        Validate(manifest);
        return WriteAsync((manifest, serialized), static (writer, state) => writer.Put(state.manifest, state.serialized), cancellationToken);
    }

    public ValueTask RemoveAsync(string fileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        return WriteAsync(fileId, static (writer, id) => writer.Remove(id), cancellationToken);
    }

    /// <summary>
    /// Replaces the content in one transaction (readers see the old content until it commits) and marks the index
    /// populated. Pass a materialised collection: other writers wait while it is enumerated. An invalid manifest
    /// changes nothing.
    /// </summary>
    public ValueTask ReplaceAllAsync(IEnumerable<Manifest> manifests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        return WriteAsync((manifests, cancellationToken), static (writer, state) =>
        {
            // A bulk load into an empty index: the first put of each file id needs no lookup by file id, and a large page
            // cache keeps the indexes being built in memory (a caller that passes the manifests in path order helps it too).
            writer.Clear();
            writer.SetBulkCache(true);
            try
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var manifest in state.manifests)
                {
                    state.cancellationToken.ThrowIfCancellationRequested();
                    Validate(manifest);
                    writer.Put(manifest, ManifestSerializer.Serialize(manifest), firstOfItsFileId: seen.Add(manifest.FileId));
                }

                writer.SetMeta("populated", "1");
            }
            finally
            {
                writer.SetBulkCache(false);
            }
        }, cancellationToken);
    }

    private static void Validate(Manifest manifest) => IndexableManifest.Validate(manifest);

    /// <summary>
    /// Runs a write in a transaction: writes of this instance that arrive together share one (<see cref="IndexWriteQueue"/>);
    /// writers of other instances and processes are serialised by SQLite (<c>BEGIN IMMEDIATE</c> + busy timeout).
    /// </summary>
    private ValueTask WriteAsync<TState>(TState state, Action<IndexWriter, TState> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _writes.RunAsync(writer => body(writer, state), cancellationToken);
    }

    /// <summary>Runs writes in one transaction: null when it committed, else the failure and whether a write's own changes raised it.</summary>
    private (Exception Error, bool InWrite)? RunTransaction(IReadOnlyList<Action<IndexWriter>> writes)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        IndexConnection? connection = null;
        var inWrite = false;
        try
        {
            connection = _database.Rent();
            using (var transaction = connection.BeginWrite())
            {
                var writer = new IndexWriter(connection);
                inWrite = true;
                foreach (var write in writes)
                {
                    write(writer);
                }

                inWrite = false;
                transaction.Commit();
            }

            _checkpoints.Committed(connection.Connection);

            _database.Return(connection);
            return null;
        }
        catch (SqliteException e)
        {
            // Closed before recovery, which may move the file this connection holds.
            connection?.Dispose();
            return (Translate(e), inWrite && !IndexErrors.IsDamage(e));
        }
        catch (Exception e)
        {
            connection?.Dispose();
            return (e, inWrite);
        }
    }
}
