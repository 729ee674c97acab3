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
}
