using RclonePool.Core.Placement;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Plans the moves of a rebalance, without touching the pool: while the utilisation variance is above the target, the
/// remote furthest above its share of the pool's bytes gives an object to the remote furthest below its share. The object
/// is the largest that does not overshoot either of them (so few objects and few bytes move), else the smallest that still
/// brings them closer; both are found by a binary search over the remote's objects ordered by size
/// (<see cref="SizeOrderedObjects"/>), so the plan costs about moves × log(objects), not moves × objects. The destination must have room and hold no other object of the chunk. Remotes being drained have a
/// target of 0 and give first, whatever the variance, until nothing movable is left on them. Stops at the target (with
/// the drained remotes empty), at <c>maxBytes</c>, or when no move brings the pool closer to even.
/// </summary>
public static class RebalancePlanner
{
    public static RebalancePlan Plan(IReadOnlyList<RemoteLoad> loads, IEnumerable<MovableObject> objects, double targetVariance, long? maxBytes)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(objects);
        var now = loads.ToList();
        var targets = Utilisation.Targets(now, now.Sum(l => l.Used));
        var index = now.Select((l, i) => (l.Remote, i)).ToDictionary(p => p.Remote, p => p.i, StringComparer.Ordinal);
        var grouped = now.Select(_ => new List<MovableObject>()).ToArray();
        foreach (var o in objects)
        {
            if (index.TryGetValue(o.Location.Remote, out var i))
            {
                grouped[i].Add(o);
            }
        }

        // The remotes each chunk's objects occupy, as the plan moves them: no two objects of one chunk on one remote.
        var occupied = new Dictionary<(string FileId, int Chunk), HashSet<string>>();
        foreach (var o in grouped.SelectMany(l => l))
        {
            var key = (o.File.FileId, o.Chunk.Index);
            if (!occupied.ContainsKey(key))
            {
                occupied[key] = [.. o.ChunkRemotes];
            }
        }

        var byRemote = grouped.Select(g => new SizeOrderedObjects(g)).ToArray();
        var moves = new List<ChunkMove>();
        long moved = 0;
        var stuck = new HashSet<(int, int)>();
        while (true)
        {
            var uneven = Utilisation.Variance(now) > targetVariance;
            if (!uneven && !Enumerable.Range(0, now.Count).Any(i => now[i].Draining && byRemote[i].Count > 0))
            {
                break;
            }

            var pair = FurthestPair(now, targets, stuck, drainingOnly: !uneven);
            if (pair is not { } p)
            {
                break;
            }

            var surplus = now[p.From].Used - targets[p.From];
            var deficit = targets[p.To] - now[p.To].Used;
            var budget = maxBytes is { } max ? max - moved : long.MaxValue;
            var improving = now[p.From].Draining ? double.PositiveInfinity : surplus + deficit;
            var receiver = now[p.To].Remote;
            var pick = Pick(byRemote[p.From], now[p.To], o => !occupied[(o.File.FileId, o.Chunk.Index)].Contains(receiver), Math.Min(surplus, deficit), improving, budget);
            if (pick is null)
            {
                stuck.Add((p.From, p.To));
                continue;
            }

            var remotes = occupied[(pick.File.FileId, pick.Chunk.Index)];
            remotes.Remove(now[p.From].Remote);
            remotes.Add(now[p.To].Remote);
            foreach (var source in byRemote)
            {
                source.Reopen(now[p.From].Remote); // it holds one object fewer: chunks it refused may be welcome now
            }

            var bytes = pick.Location.StoredLength;
            now[p.From] = Shift(now[p.From], -bytes);
            now[p.To] = Shift(now[p.To], bytes);
            moves.Add(pick.To(now[p.To].Remote));
            moved += bytes;
            stuck.Clear();
        }

        return new RebalancePlan { Moves = moves, Before = loads, After = now, TargetVariance = targetVariance };
    }

    /// <summary>
    /// The remote most above its target (remotes being drained first) and the one most below it, among pairs not found
    /// stuck; only remotes being drained give when <paramref name="drainingOnly"/>.
    /// </summary>
    private static (int From, int To)? FurthestPair(List<RemoteLoad> now, IReadOnlyList<double> targets, HashSet<(int, int)> stuck, bool drainingOnly)
    {
        var over = Enumerable.Range(0, now.Count)
            .Where(i => now[i].Used > targets[i] && (now[i].Draining || !drainingOnly))
            .OrderByDescending(i => now[i].Draining)
            .ThenByDescending(i => now[i].Used - targets[i]);
        var receivers = Enumerable.Range(0, now.Count).Where(i => !now[i].Draining).OrderByDescending(i => targets[i] - now[i].Used).ToList();
        foreach (var from in over)
        {
            // A drained remote gives to any remote, even one already at its share: emptying it comes first.
            foreach (var to in receivers.Where(i => now[from].Draining || now[i].Used < targets[i]))
            {
                if (!stuck.Contains((from, to)))
                {
                    return (from, to);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Takes the largest object of at most <paramref name="fit"/> bytes, else the smallest of fewer than
    /// <paramref name="improving"/> bytes (moving s bytes brings the pair closer when s &lt; surplus + deficit); never one
    /// larger than the budget or the receiver's free space.
    /// </summary>
    private static MovableObject? Pick(SizeOrderedObjects sources, RemoteLoad to, Func<MovableObject, bool> chunkAllows, double fit, double improving, long budget)
    {
        if (to.Draining)
        {
            return null;
        }

        var room = Math.Min(budget, to.Available ?? long.MaxValue);
        var fitting = sources.TakeLargest(to.Remote, Math.Min(room, Limit(Math.Floor(fit))), chunkAllows);
        return fitting ?? sources.TakeSmallest(to.Remote, Math.Min(room, Limit(Math.Ceiling(improving) - 1)), chunkAllows);
    }

    /// <summary>A byte count from a planner quantity, clamped to what a long holds.</summary>
    private static long Limit(double bytes) => bytes >= long.MaxValue ? long.MaxValue : bytes < 0 ? -1 : (long)bytes;

    /// <summary>The remotes after <paramref name="moves"/> (those done, when some failed).</summary>
    public static IReadOnlyList<RemoteLoad> Apply(IReadOnlyList<RemoteLoad> loads, IEnumerable<ChunkMove> moves)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(moves);
        var now = loads.ToList();
        foreach (var move in moves)
        {
            var from = now.FindIndex(l => l.Remote == move.From.Remote);
            var to = now.FindIndex(l => l.Remote == move.To);
            if (from >= 0 && to >= 0)
            {
                now[from] = Shift(now[from], -move.Bytes);
                now[to] = Shift(now[to], move.Bytes);
            }
        }

        return now;
    }

    /// <summary>A remote after gaining (or, negative, losing) <paramref name="bytes"/>: its free space changes the other way.</summary>
    private static RemoteLoad Shift(RemoteLoad load, long bytes) =>
        load with { Stored = load.Stored + bytes, Free = load.Free is { } free ? free - bytes : null };
}
