namespace RclonePool.Server.Api;

/// <summary>One page of a listing sorted by path: the items after a cursor, at most a limit of them, and the cursor of the next page.</summary>
/// <typeparam name="T">The listed item.</typeparam>
internal sealed record ListingPage<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>
    /// Reads <paramref name="items"/> (sorted by <paramref name="pathOf"/>, ordinal) up to <paramref name="limit"/> items
    /// after the cursor's path, and one more to learn whether a next page exists. Holds one page in memory, never the whole listing.
    /// </summary>
    public static async Task<ListingPage<T>> ReadAsync(IAsyncEnumerable<T> items, Func<T, string> pathOf, string? cursor, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(pathOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = string.IsNullOrEmpty(cursor) ? null : ListingCursor.Decode(cursor);
        var page = new List<T>(Math.Min(limit, 1024));
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            if (after is not null && string.CompareOrdinal(pathOf(item), after) <= 0)
            {
                continue;
            }

            if (page.Count == limit)
            {
                return new ListingPage<T>(page, ListingCursor.Encode(pathOf(page[^1])));
            }

            page.Add(item);
        }

        return new ListingPage<T>(page, null);
    }
}
