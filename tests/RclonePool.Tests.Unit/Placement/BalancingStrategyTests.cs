using RclonePool.Core.Errors;
using RclonePool.Core.Placement;

namespace RclonePool.Tests.Unit.Placement;

/// <summary>
/// 1,000 placements per strategy, sizes drawn with a fixed seed (1 to 64 MiB), over remotes whose free space is known
/// (1 TiB each) unless a test says otherwise. Each test states its tolerance.
/// </summary>
public sealed class BalancingStrategyTests
{
    private const long MiB = 1 << 20;
    private const long TiB = 1L << 40;
    private const int Placements = 1000;

    public static TheoryData<string> Strategies => [.. BalancingStrategies.Names];

    private static IBalancer Balancer(string strategy) =>
        strategy == BalancingStrategies.Random ? new RandomBalancer(new Random(15)) : BalancingStrategies.Create(strategy);

    /// <summary>Places <see cref="Placements"/> objects one by one and returns the bytes and objects each remote got.</summary>
    private static Dictionary<string, (long Bytes, int Objects)> Place(IBalancer balancer, RemoteLoad[] loads, Func<int, long>? size = null, int count = Placements)
    {
        var sizes = new Random(7);
        size ??= _ => sizes.NextInt64(1 * MiB, 64 * MiB);
        var session = new PlacementSession(loads, balancer);
        var placed = loads.ToDictionary(l => l.Remote, _ => (Bytes: 0L, Objects: 0));
        for (var i = 0; i < count; i++)
        {
            var bytes = size(i);
            var remote = session.Reserve(bytes);
            placed[remote] = (placed[remote].Bytes + bytes, placed[remote].Objects + 1);
        }

        return placed;
    }

    private static RemoteLoad[] Equal(int remotes, long? free = TiB) =>
        [.. Enumerable.Range(0, remotes).Select(i => new RemoteLoad($"r{i}:", free, 0, 0))];

    private static void WithinPercent(double expected, double actual, double percent) =>
        Assert.InRange(actual, expected * (1 - (percent / 100)), expected * (1 + (percent / 100)));

    [Fact]
    public void Least_used_gives_equal_remotes_equal_bytes_within_one_object()
    {
        var placed = Place(new LeastUsedBalancer(), Equal(3));
        var bytes = placed.Values.Select(p => p.Bytes).ToList();
        Assert.True(bytes.Max() - bytes.Min() <= 64 * MiB, $"spread {bytes.Max() - bytes.Min()} bytes");
    }

    [Fact]
    public void Round_robin_takes_the_remotes_in_turn_in_config_order()
    {
        var balancer = new RoundRobinBalancer();
        var session = new PlacementSession(Equal(3), balancer);
        var order = Enumerable.Range(0, Placements).Select(_ => session.Reserve(MiB)).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            Assert.Equal($"r{i % 3}:", order[i]);
        }
    }

    [Fact]
    public void Round_robin_keeps_its_turn_across_operations()
    {
        var balancer = new RoundRobinBalancer();
        var chosen = Enumerable.Range(0, 6).Select(_ => new PlacementSession(Equal(3), balancer).Reserve(MiB)).ToList();
        Assert.Equal(["r0:", "r1:", "r2:", "r0:", "r1:", "r2:"], chosen);
    }

    [Fact]
    public void Random_without_weights_gives_each_of_4_remotes_a_quarter_of_the_objects_within_15_percent()
    {
        var placed = Place(new RandomBalancer(new Random(15)), Equal(4));
        Assert.All(placed.Values, p => WithinPercent(Placements / 4.0, p.Objects, 15));
    }

    [Fact]
    public void Weighted_gives_equal_weights_equal_bytes_within_1_percent()
    {
        var placed = Place(new WeightedBalancer(), Equal(3));
        var total = placed.Values.Sum(p => p.Bytes);
        Assert.All(placed.Values, p => WithinPercent(total / 3.0, p.Bytes, 1));
    }

    [Fact]
    public void Weighted_fills_a_remote_that_joined_empty_until_it_holds_its_share()
    {
        var loads = new RemoteLoad[] { new("a:", TiB, 10_000 * MiB, 0), new("b:", TiB, 10_000 * MiB, 0), new("c:", TiB, 0, 0) };
        var placed = Place(new WeightedBalancer(), loads, _ => 20 * MiB);

        // c: takes the first 500 objects (10,000 MiB, as much as a: and b: hold), then the three share the rest.
        Assert.Equal(500 + (500 / 3), placed["c:"].Objects, tolerance: 1);
        Assert.Equal(placed["a:"].Objects, placed["b:"].Objects, tolerance: 1);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Weights_2_to_1_give_bytes_2_to_1_within_10_percent_when_free_space_is_unknown(string strategy)
    {
        var loads = new RemoteLoad[] { new("fast:", null, 0, 0) { Weight = 2 }, new("slow:", null, 0, 0) { Weight = 1 } };
        var placed = Place(Balancer(strategy), loads);
        WithinPercent(2.0, placed["fast:"].Bytes / (double)placed["slow:"].Bytes, 10);
    }

    [Theory]
    [InlineData(BalancingStrategies.RoundRobin)]
    [InlineData(BalancingStrategies.Weighted)]
    [InlineData(BalancingStrategies.Random)]
    [InlineData(BalancingStrategies.RoundRobinLeastUsed)]
    public void Weights_2_to_1_give_bytes_2_to_1_within_10_percent_on_remotes_with_equal_free_space(string strategy)
    {
        // The pool already holds bytes 2:1 (round_robin_least_used would otherwise start by evening out an empty pool).
        var loads = new RemoteLoad[] { new("fast:", TiB, 2000 * MiB, 0) { Weight = 2 }, new("slow:", TiB, 1000 * MiB, 0) { Weight = 1 } };
        var placed = Place(Balancer(strategy), loads);
        WithinPercent(2.0, placed["fast:"].Bytes / (double)placed["slow:"].Bytes, 10);
    }

    [Fact]
    public void Least_used_counts_a_remote_of_weight_2_as_having_twice_the_free_space()
    {
        var loads = new RemoteLoad[] { new("fast:", 1000 * MiB, 0, 0) { Weight = 2 }, new("slow:", 1000 * MiB, 0, 0) };
        var placed = Place(new LeastUsedBalancer(), loads, _ => 10 * MiB, count: 100);

        // fast: takes chunks while 2 × its free space beats slow:'s, i.e. its first 500 MiB; then they alternate 2:1.
        WithinPercent(1000 * MiB * 2 / 3.0, placed["fast:"].Bytes, 10);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Priorities_fill_the_high_remote_first_within_its_free_space(string strategy)
    {
        var loads = new RemoteLoad[] { new("free:", TiB, 0, 0) { Priority = 5 }, new("premium:", 100 * MiB, 0, 0) { Priority = 10 }, new("other:", TiB, 0, 0) { Priority = 5 } };
        var session = new PlacementSession(loads, Balancer(strategy));
        var chosen = Enumerable.Range(0, 30).Select(_ => session.Reserve(10 * MiB)).ToList();
        Assert.All(chosen.Take(10), r => Assert.Equal("premium:", r));
        Assert.DoesNotContain("premium:", chosen.Skip(10));
        Assert.Contains("free:", chosen.Skip(10));
        Assert.Contains("other:", chosen.Skip(10));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Copies_of_one_chunk_go_to_distinct_remotes_with_every_strategy(string strategy)
    {
        var session = new PlacementSession(Equal(4), Balancer(strategy));
        for (var chunk = 0; chunk < Placements / 3; chunk++)
        {
            var taken = new List<string>();
            for (var copy = 0; copy < 3; copy++)
            {
                taken.Add(session.Reserve(MiB, taken));
            }

            Assert.Equal(3, taken.Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_strategy_skips_full_and_excluded_remotes_and_counts_chunks_in_flight(string strategy)
    {
        var loads = new RemoteLoad[] { new("full:", 5 * MiB, 0, 0), new("failing:", TiB, 0, 0), new("small:", 100 * MiB, 0, 0), new("big:", TiB, 0, 0) };
        var session = new PlacementSession(loads, Balancer(strategy));
        session.Exclude("failing:");
        var chosen = Enumerable.Range(0, Placements).Select(_ => session.Reserve(10 * MiB)).ToList();
        Assert.DoesNotContain("full:", chosen);
        Assert.DoesNotContain("failing:", chosen);
        Assert.InRange(chosen.Count(r => r == "small:"), 0, 10);
        Assert.Equal(PoolErrorKind.NoSpace, Assert.Throws<PoolException>(() => new PlacementSession(loads.Take(1), Balancer(strategy)).Reserve(10 * MiB)).Kind);
    }

    [Fact]
    public void Round_robin_least_used_cycles_on_an_even_pool_and_fills_a_new_remote_while_the_pool_is_uneven()
    {
        var balancer = new RoundRobinLeastUsedBalancer();
        var even = new PlacementSession([.. Equal(3).Select(l => l with { Stored = 1000 * MiB })], balancer);
        Assert.Equal(["r0:", "r1:", "r2:", "r0:"], Enumerable.Range(0, 4).Select(_ => even.Reserve(MiB)).ToList());

        var uneven = new PlacementSession([new("a:", null, 1000 * MiB, 0), new("b:", null, 1000 * MiB, 0), new("new:", null, 0, 0)], balancer);
        var chosen = Enumerable.Range(0, Placements).Select(_ => uneven.Reserve(10 * MiB)).ToList();
        var switchedBack = chosen.FindIndex(r => r != "new:");

        // new: takes every chunk until the variance is back under 10 %, then the remotes take turns.
        Assert.InRange(switchedBack, 50, 100);
        Assert.Equal(3, chosen.Skip(switchedBack).Take(3).Distinct().Count());
    }

    [Fact]
    public void An_unknown_strategy_name_is_refused_with_the_list_of_strategies()
    {
        var e = Assert.Throws<PoolException>(() => BalancingStrategies.Create("fastest"));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("round_robin_least_used", e.Message, StringComparison.Ordinal);
    }
}
