namespace RclonePool.Core.Jobs;

/// <summary>
/// The movable objects of one remote for <see cref="RebalancePlanner"/>, largest first, from which the plan takes objects
/// for a receiver: the largest of at most a size, or the smallest. Each search starts with a binary search and steps over
/// the objects already taken, and over those the receiver was found not to accept (it holds another object of their
/// chunk), in near-constant time: per receiver, a "next left" pointer per position, path-compressed
/// (<see cref="SkipList"/>). A plan of n moves over N objects so costs about n log N instead of n N.
/// </summary>
internal sealed class SizeOrderedObjects
{
    private readonly MovableObject[] _items;
    private readonly SkipList _taken;
    private readonly Dictionary<string, SkipList> _refused = new(StringComparer.Ordinal);

    public SizeOrderedObjects(IEnumerable<MovableObject> objects)
    {
        _items = [.. objects.OrderByDescending(o => o.Location.StoredLength)];
        _taken = new SkipList(_items.Length);
        Count = _items.Length;
    }

    /// <summary>Objects not taken yet.</summary>
    public int Count { get; private set; }

    /// <summary>Takes the largest object of at most <paramref name="atMost"/> bytes that <paramref name="accepts"/> lets <paramref name="receiver"/> have.</summary>
    public MovableObject? TakeLargest(string receiver, long atMost, Func<MovableObject, bool> accepts)
    {
        var lane = Lane(receiver);
        for (var i = lane.Next(FirstAtMost(atMost)); i < _items.Length; i = lane.Next(i + 1))
        {
            if (accepts(_items[i]))
            {
                return Take(i);
            }

            lane.Skip(i);
        }

        return null;
    }

    /// <summary>Takes the smallest object of at most <paramref name="atMost"/> bytes that <paramref name="accepts"/> lets <paramref name="receiver"/> have.</summary>
    public MovableObject? TakeSmallest(string receiver, long atMost, Func<MovableObject, bool> accepts)
    {
        var lane = Lane(receiver);
        for (var i = lane.Previous(_items.Length - 1); i >= 0 && _items[i].Location.StoredLength <= atMost; i = lane.Previous(i - 1))
        {
            if (accepts(_items[i]))
            {
                return Take(i);
            }

            lane.Skip(i);
        }

        return null;
    }

    /// <summary>
    /// Offers every object left to <paramref name="receiver"/> again: an object left it, so chunks it refused may now be
    /// welcome.
    /// </summary>
    public void Reopen(string receiver) => _refused.Remove(receiver);

    private SkipList Lane(string receiver)
    {
        if (!_refused.TryGetValue(receiver, out var lane))
        {
            _refused[receiver] = lane = _taken.Copy();
        }

        return lane;
    }

    private MovableObject Take(int i)
    {
        _taken.Skip(i);
        foreach (var lane in _refused.Values)
        {
            lane.Skip(i);
        }

        Count--;
        return _items[i];
    }

    /// <summary>The first position whose object has at most <paramref name="atMost"/> bytes (the list is largest first).</summary>
    private int FirstAtMost(long atMost)
    {
        int low = 0, high = _items.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_items[middle].Location.StoredLength <= atMost)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
