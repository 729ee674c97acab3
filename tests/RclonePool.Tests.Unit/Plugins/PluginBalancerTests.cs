using RclonePool.Core.Placement;
using RclonePool.Core.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>A balancer plugin places chunks; whatever it does wrong, the configured strategy places them instead.</summary>
public sealed class PluginBalancerTests
{
    private static readonly RemoteLoad[] Loads = [new("a:", 1000, 0, 0), new("b:", 5000, 0, 0), new("c:", 3000, 0, 0)];

    [Fact]
    public void The_plugin_chooses_among_the_candidates_it_is_offered()
    {
        var plugin = new TestPlugins.Scripted(r => r[^1].Name);
        var balancer = new PluginBalancer(plugin, TestPlugins.Guard(), new LeastUsedBalancer());

        Assert.Equal(2, balancer.Choose(Loads, 10));
        Assert.Equal("c:", new PlacementSession(Loads, balancer).Reserve(10));
    }

    public static TheoryData<string> WrongAnswers() => ["nowhere:", "", "A:"];

    [Theory]
    [MemberData(nameof(WrongAnswers))]
    public void An_answer_that_is_not_a_candidate_falls_back_and_three_in_a_row_disable_the_plugin(string answer)
    {
        var plugin = new TestPlugins.Scripted(_ => answer);
        var fallback = new RoundRobinBalancer();
        var balancer = new PluginBalancer(plugin, TestPlugins.Guard(), fallback);

        var chosen = Enumerable.Range(0, 6).Select(_ => Loads[balancer.Choose(Loads, 10)].Remote).ToList();

        Assert.Equal(["a:", "b:", "c:", "a:", "b:", "c:"], chosen);
        Assert.Equal(3, plugin.Calls);
        Assert.True(balancer.Guard.IsDisabled);
    }

    [Fact]
    public void An_exception_falls_back_and_a_success_resets_the_count()
    {
        var calls = 0;
        var plugin = new TestPlugins.Scripted(r => ++calls % 3 == 0 ? r[0].Name : throw new InvalidOperationException("boom"));
        var balancer = new PluginBalancer(plugin, TestPlugins.Guard(), new LeastUsedBalancer());

        for (var i = 0; i < 9; i++)
        {
            Assert.InRange(balancer.Choose(Loads, 10), 0, 2);
        }

        Assert.False(balancer.Guard.IsDisabled);
        Assert.Equal(9, plugin.Calls);
    }

    [Fact]
    public void A_plugin_that_hangs_is_timed_out()
    {
        using var never = new ManualResetEventSlim();
        var plugin = new TestPlugins.Scripted(_ => { never.Wait(TimeSpan.FromSeconds(30)); return "a:"; });
        var balancer = new PluginBalancer(plugin, TestPlugins.Guard(seconds: 0.05), new LeastUsedBalancer());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(new LeastUsedBalancer().Choose(Loads, 10), balancer.Choose(Loads, 10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        never.Set();
    }
}
