using RclonePool.Core.Index.Sqlite;

namespace RclonePool.Core.Index;

public sealed partial class SqlitePoolIndex : IContentObjectLookup
{
    public ValueTask<IReadOnlyList<string>> RemotesNamingAsync(string objectPath, CancellationToken cancellationToken) =>
        ReadAsync<string, IReadOnlyList<string>>(objectPath, static (connection, path) =>
        {
            var command = connection.Command(IndexSql.RemotesNaming);
            command.Parameters["$object"].Value = path;
            using var reader = command.ExecuteReader();
            var remotes = new List<string>();
            while (reader.Read())
            {
                remotes.Add(reader.GetString(0));
            }

            return remotes;
        }, cancellationToken);
}
