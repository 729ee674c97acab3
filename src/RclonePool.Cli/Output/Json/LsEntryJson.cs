using RclonePool.Core.Index;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Output.Json;

/// <summary>One entry of <c>ls --json</c> (the report is an array of them).</summary>
internal sealed record LsEntryJson(string Path, string Name, bool IsDir, long Size, DateTimeOffset Modified)
{
    public static LsEntryJson From(PoolEntry entry) =>
        new(entry.Path.Value, entry.Path.Name, entry.IsDirectory, entry.Size, entry.Modified);

    public static IReadOnlyList<LsEntryJson> FromAll(IEnumerable<PoolEntry> entries) => [.. entries.Select(From)];

    public static IReadOnlyList<LsEntryJson> FromRows(IEnumerable<ListingRow> rows) =>
        [.. rows.Select(r => new LsEntryJson(r.Path, r.Name, r.IsDirectory, r.Size, r.Modified))];
}
