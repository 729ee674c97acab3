using RclonePool.Core.Errors;
using RclonePool.Core.Placement;

namespace RclonePool.Tests.Unit.Placement;

public sealed class PlacementSessionTests
{
    private static PlacementSession Session(params RemoteLoad[] loads) => new(loads, new LeastUsedBalancer());

    [Fact]
    public void Least_used_spreads_chunks_over_remotes_with_equal_free_space()
    {
        var session = Session(new("a:", 1000, 0, 0), new("b:", 1000, 0, 0), new("c:", 1000, 0, 0));
        var chosen = Enumerable.Range(0, 6).Select(_ => session.Reserve(100)).ToList();
        Assert.Equal(2, chosen.Count(r => r == "a:"));
        Assert.Equal(2, chosen.Count(r => r == "b:"));
        Assert.Equal(2, chosen.Count(r => r == "c:"));
    }

    [Fact]
    public void Least_used_prefers_the_remote_with_most_free_space_counting_chunks_in_flight()
    {
        const long MiB = 1 << 20;
        var session = Session(new("a:", 1000 * MiB, 0, 0), new("b:", 350 * MiB, 0, 0));
        Assert.Equal("a:", session.Reserve(300 * MiB)); // a 700 left
        Assert.Equal("a:", session.Reserve(300 * MiB)); // a 400 left
        Assert.Equal("b:", session.Reserve(300 * MiB)); // a 400 and b 350 are within the 64 MiB tolerance: fewer stored bytes wins
        Assert.Equal("a:", session.Reserve(300 * MiB)); // a 400, b 50
    }

    [Fact]
    public void Free_space_that_differs_by_measurement_noise_is_a_tie_decided_by_stored_bytes()
    {
        const long GiB = 1L << 30;
        var session = Session(new("a:", 100 * GiB, 5 * GiB, 0), new("b:", (100 * GiB) - (3 << 20), 1 * GiB, 0));
        Assert.Equal("b:", session.Reserve(1 << 20));
    }

    [Fact]
    public void Without_free_space_figures_the_pool_balances_by_stored_bytes()
    {
        var session = Session(new("a:", null, 500, 0), new("b:", null, 100, 0));
        Assert.Equal("b:", session.Reserve(300)); // b 400
        Assert.Equal("b:", session.Reserve(50));  // b 450
        Assert.Equal("b:", session.Reserve(100)); // b 550
        Assert.Equal("a:", session.Reserve(10));
    }

    [Fact]
    public void A_remote_without_room_is_skipped_and_an_impossible_plan_is_refused_up_front()
    {
        var session = Session(new("a:", 100, 0, 0), new("b:", 1000, 0, 0));
        Assert.Equal("b:", session.Reserve(500));
        var e = Assert.Throws<PoolException>(() => session.EnsureRoomFor([400, 400]));
        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.Contains("a:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Excluded_remotes_receive_nothing_more()
    {
        var session = Session(new("a:", 1000, 0, 0), new("b:", 10, 0, 0));
        session.Exclude("a:");
        Assert.Equal(PoolErrorKind.NoSpace, Assert.Throws<PoolException>(() => session.Reserve(100)).Kind);
    }
}
