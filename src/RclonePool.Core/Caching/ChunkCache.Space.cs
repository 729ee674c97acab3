namespace RclonePool.Core.Caching;

/// <summary>Capacity: reserving room for blocks before they are fetched, and evicting least recently used chunks.</summary>
public sealed partial class ChunkCache
{
    private readonly List<FileStream> _doomed = [];

    /// <summary>
    /// Makes room for <paramref name="bytes"/> more, evicting unpinned chunks from the least recently used end.
    /// Demand reads may evict anything unpinned (unread prefetched data last); prefetches never evict data prefetched
    /// for a reader that has not read it yet, and all such data stays within half the capacity, so prefetching
    /// cannot crowd out the reads it is meant to serve. False when the room cannot be made.
    /// </summary>
    private bool TryReserve(long bytes, CacheEntry forEntry, bool prefetch)
    {
        if (bytes > CapacityBytes)
        {
            return false;
        }

        if (prefetch && ProtectedBytes() + bytes > CapacityBytes / 2)
        {
            return false;
        }

        while (_reserved + bytes > CapacityBytes)
        {
            var victim = FindVictim(forEntry, evictUnread: false) ?? (prefetch ? null : FindVictim(forEntry, evictUnread: true));
            if (victim is null)
            {
                return false;
            }

            Remove(victim, evicted: true);
        }

        _reserved += bytes;
        return true;
    }

    private CacheEntry? FindVictim(CacheEntry keep, bool evictUnread)
    {
        for (var node = _recency.Last; node is not null; node = node.Previous)
        {
            var entry = node.Value;
            if (entry != keep && entry.Pins == 0 && (evictUnread || !entry.IsProtected))
            {
                return entry;
            }
        }

        return null;
    }

    private long ProtectedBytes()
    {
        long total = 0;
        foreach (var entry in _recency)
        {
            if (entry.IsProtected)
            {
                total += entry.Bytes;
            }
        }

        return total;
    }

    /// <summary>Gives back the room of blocks that left the entry (fetch cancelled or failed, block found damaged).</summary>
    private void Release(CacheEntry entry, long bytes)
    {
        entry.Bytes -= bytes;
        _reserved -= bytes;
    }

    /// <summary>Forgets an entry that holds nothing and is not in use.</summary>
    private void DropIfUnused(CacheEntry entry)
    {
        if (entry.Bytes == 0 && entry.Pins == 0 && !entry.Removed)
        {
            Remove(entry, evicted: false);
        }
    }

    /// <summary>Takes an entry out of the cache; its file is closed and deleted by <see cref="DeleteDoomed"/>, outside the lock.</summary>
    private void Remove(CacheEntry entry, bool evicted)
    {
        if (entry.Removed)
        {
            return;
        }

        entry.Removed = true;
        if (_entries.TryGetValue(entry.Id, out var current) && current == entry)
        {
            _entries.Remove(entry.Id);
        }

        _recency.Remove(entry.Node);
        _reserved -= entry.Bytes;
        if (evicted)
        {
            Interlocked.Increment(ref _evictions);
            CacheLog.Evicted(_logger, entry.Id, entry.Bytes);
        }

        entry.Bytes = 0;
        if (entry.File is { } file)
        {
            _doomed.Add(file);
            entry.File = null;
        }
    }

    /// <summary>Closes and deletes the files of removed entries (names are unique per entry, so a new entry of the same chunk is safe).</summary>
    private void DeleteDoomed()
    {
        FileStream[] doomed;
        lock (_gate)
        {
            if (_doomed.Count == 0)
            {
                return;
            }

            doomed = [.. _doomed];
            _doomed.Clear();
        }

        foreach (var file in doomed)
        {
            var path = file.Name;
            file.Dispose();
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The directory goes at dispose, or with the next process's sweep.
            }
        }
    }
}
