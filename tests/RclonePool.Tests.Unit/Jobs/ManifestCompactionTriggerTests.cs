using RclonePool.Core.Jobs;

namespace RclonePool.Tests.Unit.Jobs;

/// <summary>
/// When serve's automatic compaction runs: at the threshold for a trickle of writes, after a burst for a burst, and
/// never later than <see cref="ManifestCompactionTrigger.BurstBacklogFactor"/> thresholds into one.
/// </summary>
public sealed class ManifestCompactionTriggerTests
{
    [Fact]
    public void A_trickle_of_writes_compacts_once_the_threshold_is_reached()
    {
        var trigger = new ManifestCompactionTrigger(1000);
        long written = 0;
        var decisions = new List<CompactionDecision>();
        for (var check = 0; check < 40; check++)
        {
            written += 50; // below a tenth of the threshold per check: no burst
            decisions.Add(trigger.Check(written));
        }

        Assert.DoesNotContain(CompactionDecision.Defer, decisions);
        Assert.Equal([19, 39], [.. decisions.Select((d, i) => (d, i)).Where(x => x.d == CompactionDecision.Compact).Select(x => x.i)]);
    }

    [Fact]
    public void A_burst_puts_the_compaction_off_until_it_ends()
    {
        var trigger = new ManifestCompactionTrigger(1000);
        Assert.Equal(CompactionDecision.Wait, trigger.Check(800));
        Assert.Equal(CompactionDecision.Defer, trigger.Check(1600));
        Assert.Equal(CompactionDecision.Defer, trigger.Check(2400));
        Assert.Equal(800, trigger.Recent);
        Assert.Equal(2400, trigger.Backlog);

        // The burst ended: nothing (or a trickle) since the last check.
        Assert.Equal(CompactionDecision.Compact, trigger.Check(2420));
        Assert.Equal(CompactionDecision.Wait, trigger.Check(2420));
    }

    [Fact]
    public void A_burst_that_goes_on_compacts_at_four_thresholds_of_backlog()
    {
        var trigger = new ManifestCompactionTrigger(1000);
        var decisions = Enumerable.Range(1, 12).Select(i => trigger.Check(i * 500L)).ToList();

        // Compacts at 4,000 objects (the 8th check) and again 4,000 later (the 16th, beyond this run): never more behind.
        Assert.Equal(CompactionDecision.Compact, decisions[7]);
        Assert.Single(decisions, d => d == CompactionDecision.Compact);
        Assert.All(decisions.Take(7), d => Assert.NotEqual(CompactionDecision.Compact, d));
        Assert.Equal(2000, trigger.Backlog);
    }
}
