namespace RclonePool.Core.Jobs;

/// <summary>
/// Positions 0..n-1 some of which are skipped: the next (or previous) position not skipped from any position, in
/// near-constant amortised time (union-find with path compression, one forest per direction). For
/// <see cref="SizeOrderedObjects"/>.
/// </summary>
internal sealed class SkipList
{
    // _next[i]: leads to the first position >= i not skipped (n when none). _previous[i + 1]: to the last position <= i
    // not skipped (-1 when none), offset by one so that -1 has a slot of its own.
    private readonly int[] _next;
    private readonly int[] _previous;

    public SkipList(int count)
    {
        _next = [.. Enumerable.Range(0, count + 1)];
        _previous = [.. Enumerable.Range(-1, count + 1)];
    }

    private SkipList(int[] next, int[] previous)
    {
        _next = next;
        _previous = previous;
    }

    public SkipList Copy() => new((int[])_next.Clone(), (int[])_previous.Clone());

    public void Skip(int i)
    {
        _next[i] = i + 1;
        _previous[i + 1] = i - 1;
    }

    /// <summary>The first position at or after <paramref name="i"/> not skipped; n when none.</summary>
    public int Next(int i)
    {
        var root = i;
        while (_next[root] != root)
        {
            root = _next[root];
        }

        while (i != root)
        {
            var following = _next[i];
            _next[i] = root;
            i = following;
        }

        return root;
    }

    /// <summary>The last position at or before <paramref name="i"/> not skipped; -1 when none.</summary>
    public int Previous(int i)
    {
        var root = i;
        while (root >= 0 && _previous[root + 1] != root)
        {
            root = _previous[root + 1];
        }

        while (i != root)
        {
            var preceding = _previous[i + 1];
            _previous[i + 1] = root;
            i = preceding;
        }

        return root;
    }
}
