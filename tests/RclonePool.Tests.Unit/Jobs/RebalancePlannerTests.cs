using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Placement;

namespace RclonePool.Tests.Unit.Jobs;

public sealed class RebalancePlannerTests
{
    private const long MiB = 1 << 20;

    /// <summary><paramref name="files"/> files of one chunk with <paramref name="copies"/> copies of <paramref name="size"/> bytes, round robin over <paramref name="remotes"/>.</summary>
    private static List<MovableObject> Objects(int files, int copies, long size, params string[] remotes)
    {
        var objects = new List<MovableObject>();
        for (var f = 0; f < files; f++)
        {
            var locations = Enumerable.Range(0, copies).Select(c => new ChunkLocation { Remote = remotes[(f + c) % remotes.Length], Object = $"o{f}-{c}", StoredLength = size }).ToList();
            var chunk = new ChunkEntry { Index = 0, Length = size, Sha256 = "s", BlockHashes = "b", Locations = locations };
            var manifest = new Manifest { PoolId = "p", FileId = $"f{f}", Path = $"/f{f}", Size = size, Chunks = [chunk] };
            objects.AddRange(locations.Select(l => new MovableObject(manifest, chunk, l)));
        }

        return objects;
    }

    private static RemoteLoad[] Loads(IEnumerable<MovableObject> objects, params string[] remotes) =>
        [.. remotes.Select(r => new RemoteLoad(r, 1L << 40, objects.Where(o => o.Location.Remote == r).Sum(o => o.Location.StoredLength), 0))];

    [Fact]
    public void Three_loaded_remotes_and_an_empty_fourth_reach_the_target_moving_about_a_quarter_of_the_bytes()
    {
        var objects = Objects(300, 1, 10 * MiB, "a:", "b:", "c:");
        var plan = RebalancePlanner.Plan(Loads(objects, "a:", "b:", "c:", "d:"), objects, 5.0, null);

        Assert.Equal(57.7, plan.VarianceBefore, 1);
        Assert.True(plan.ReachesTarget, $"variance after {plan.VarianceAfter}");
        Assert.All(plan.Moves, m => Assert.Equal("d:", m.To));

        // Ideal: d: gets 25 % of 3,000 MiB = 750 MiB; stopping at 5 % moves a little less.
        Assert.InRange(plan.Bytes, 650 * MiB, 750 * MiB);
    }

    [Fact]
    public void No_move_puts_a_second_object_of_a_chunk_on_a_remote_that_holds_one()
    {
        var objects = Objects(60, 3, 10 * MiB, "a:", "b:", "c:", "d:", "e:").Where(o => o.Location.Remote != "e:").ToList();
        var plan = RebalancePlanner.Plan(Loads(objects, "a:", "b:", "c:", "d:", "e:"), objects, 1.0, null);

        Assert.NotEmpty(plan.Moves);
        foreach (var move in plan.Moves)
        {
            var chunk = objects.First(o => o.File.FileId == move.FileId).Chunk;
            Assert.DoesNotContain(move.To, chunk.Locations.Select(l => l.Remote));
        }

        Assert.All(plan.Moves.GroupBy(m => m.FileId), g => Assert.Equal(g.Count(), g.Select(m => m.To).Distinct().Count()));
    }

    [Fact]
    public void Two_objects_of_one_chunk_never_move_to_the_same_new_remote()
    {
        // Every chunk has copies on two of a:, b:, c:; d: and e: join empty: both copies of a chunk would fit on d:.
        var objects = Objects(90, 2, 10 * MiB, "a:", "b:", "c:");
        var plan = RebalancePlanner.Plan(Loads(objects, "a:", "b:", "c:", "d:", "e:"), objects, 1.0, null);

        Assert.True(plan.ReachesTarget, $"variance after {plan.VarianceAfter}");
        foreach (var file in objects.GroupBy(o => o.File.FileId))
        {
            var remotes = file.Select(o => plan.Moves.FirstOrDefault(m => m.From == o.Location)?.To ?? o.Location.Remote).ToList();
            Assert.Equal(remotes.Count, remotes.Distinct().Count());
        }
    }

    [Fact]
    public void Max_bytes_caps_the_plan()
    {
        var objects = Objects(300, 1, 10 * MiB, "a:", "b:", "c:");
        var plan = RebalancePlanner.Plan(Loads(objects, "a:", "b:", "c:", "d:"), objects, 5.0, 100 * MiB);
        Assert.Equal(100 * MiB, plan.Bytes);
        Assert.False(plan.ReachesTarget);
    }

    [Fact]
    public void An_even_pool_plans_nothing()
    {
        var objects = Objects(300, 1, 10 * MiB, "a:", "b:", "c:");
        var plan = RebalancePlanner.Plan(Loads(objects, "a:", "b:", "c:"), objects, 5.0, null);
        Assert.Empty(plan.Moves);
    }

    [Fact]
    public void A_destination_without_room_gets_nothing()
    {
        var objects = Objects(300, 1, 10 * MiB, "a:", "b:", "c:");
        RemoteLoad[] loads = [.. Loads(objects, "a:", "b:", "c:"), new RemoteLoad("d:", 5 * MiB, 0, 0)];
        var plan = RebalancePlanner.Plan(loads, objects, 5.0, null);
        Assert.Empty(plan.Moves);
    }

    [Fact]
    public void Weights_set_the_shares_the_plan_aims_for()
    {
        var objects = Objects(300, 1, 10 * MiB, "a:", "b:", "c:");
        RemoteLoad[] loads = [.. Loads(objects, "a:", "b:", "c:").Select(l => l with { Free = null }), new RemoteLoad("d:", null, 0, 0) { Weight = 3 }];
        var plan = RebalancePlanner.Plan(loads, objects, 2.0, null);

        // d: of weight 3 beside three of weight 1 holds half of the 3,000 MiB.
        Assert.InRange(plan.Moves.Sum(m => m.Bytes), 1400 * MiB, 1500 * MiB);
    }

    /// <summary>
    /// 100,000 chunks of two copies each (1–64 MiB, seeded) on nine remotes of one size, and a tenth that joins empty:
    /// the plan reaches the target, moves hardly more than the least any plan must move (the bytes above their share on
    /// the remotes that are over it), moves only from remotes above their share to remotes below it, and never puts two
    /// copies of a chunk on one remote. The time it takes is written to the test output (not asserted: the machine is shared).
    /// </summary>
    [Fact]
    public void A_hundred_thousand_chunks_over_ten_remotes_are_planned_close_to_the_least_bytes()
    {
        string[] remotes = [.. Enumerable.Range(0, 10).Select(i => $"r{i}:")];
        var random = new Random(15);
        var objects = new List<MovableObject>();
        for (var f = 0; f < 100_000; f++)
        {
            var size = random.NextInt64(1 * MiB, 64 * MiB);
            var first = random.Next(9);
            var second = (first + 1 + random.Next(8)) % 9;
            List<ChunkLocation> locations = [.. new[] { first, second }.Select((r, c) => new ChunkLocation { Remote = remotes[r], Object = $"o{f}-{c}", StoredLength = size })];
            var chunk = new ChunkEntry { Index = 0, Length = size, Sha256 = "s", BlockHashes = "b", Locations = locations };
            var manifest = new Manifest { PoolId = "p", FileId = $"f{f}", Path = $"/f{f}", Size = size, Chunks = [chunk] };
            objects.AddRange(locations.Select(l => new MovableObject(manifest, chunk, l)));
        }

        var stored = objects.GroupBy(o => o.Location.Remote).ToDictionary(g => g.Key, g => g.Sum(o => o.Location.StoredLength));
        RemoteLoad[] loads = [.. remotes.Select(r => new RemoteLoad(r, (8L << 40) - stored.GetValueOrDefault(r), stored.GetValueOrDefault(r), 0))];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = RebalancePlanner.Plan(loads, objects, 5.0, null);
        clock.Stop();

        var targets = Utilisation.Targets(loads, loads.Sum(l => l.Used));
        var least = loads.Select((l, i) => Math.Max(0, l.Used - targets[i])).Sum();
        var over = loads.Where((l, i) => l.Used > targets[i]).Select(l => l.Remote).ToHashSet();
        Assert.True(plan.ReachesTarget, $"variance after {plan.VarianceAfter}");
        Assert.All(plan.Moves, m => Assert.Contains(m.From.Remote, over));
        Assert.All(plan.Moves, m => Assert.DoesNotContain(m.To, over));
        Assert.InRange(plan.Bytes, least * 0.5, least * 1.02);

        var where = objects.ToDictionary(o => o.Location.Object, o => o.Location.Remote);
        foreach (var move in plan.Moves)
        {
            where[move.From.Object] = move.To;
        }

        Assert.All(objects.GroupBy(o => o.File.FileId), g => Assert.Equal(2, g.Select(o => where[o.Location.Object]).Distinct().Count()));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"plan of {plan.Moves.Count} moves ({plan.Bytes / (double)(1L << 30):0.0} GiB; least possible {least / (1L << 30):0.0} GiB) over {objects.Count} objects on 10 remotes: " +
            $"{clock.Elapsed.TotalMilliseconds:0} ms; variance {plan.VarianceBefore:0.0} % -> {plan.VarianceAfter:0.0} %");
    }
}
