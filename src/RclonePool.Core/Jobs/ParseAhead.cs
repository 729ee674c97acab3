namespace RclonePool.Core.Jobs;

/// <summary>
/// Maps a list in order, a batch ahead on the thread pool while the caller consumes the batch before it: the index's
/// bulk load (one thread, in SQLite) takes parsed manifests while the next ones are parsed on the other core, and only
/// two batches of them are held at once.
/// </summary>
internal static class ParseAhead
{
    private const int BatchSize = 4096;

    public static IEnumerable<TOut> InOrder<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(map);
        return Iterate(items, map);
    }

    private static IEnumerable<TOut> Iterate<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> map)
    {
        Task<TOut[]>? next = null;
        for (var start = 0; start < items.Count; start += BatchSize)
        {
            var current = next ?? Task.Run(() => Map(items, start, map));
            var following = start + BatchSize;
            next = following < items.Count ? Task.Run(() => Map(items, following, map)) : null;
            foreach (var item in current.GetAwaiter().GetResult())
            {
                yield return item;
            }
        }
    }

    private static TOut[] Map<TIn, TOut>(IReadOnlyList<TIn> items, int start, Func<TIn, TOut> map)
    {
        var batch = new TOut[Math.Min(BatchSize, items.Count - start)];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = map(items[start + i]);
        }

        return batch;
    }
}
