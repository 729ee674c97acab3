using FsCheck;
using FsCheck.Fluent;
using RclonePool.Core.Placement;

namespace RclonePool.Tests.Unit.Placement;

public sealed class UtilisationTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void Three_full_remotes_and_an_empty_fourth_have_a_variance_of_57_7_percent()
    {
        RemoteLoad[] loads = [new("a:", 100 * GiB, GiB, 0), new("b:", 100 * GiB, GiB, 0), new("c:", 100 * GiB, GiB, 0), new("d:", 100 * GiB + GiB, 0, 0)];
        Assert.Equal(57.7, Utilisation.Variance(loads), 1);
        Assert.Equal(-100, Utilisation.Deviations(loads)[3], 6);
    }

    [Fact]
    public void Remotes_holding_bytes_in_proportion_to_their_weights_are_even()
    {
        RemoteLoad[] loads = [new("a:", null, 2 * GiB, 0) { Weight = 2 }, new("b:", null, GiB, 0)];
        Assert.Equal(0, Utilisation.Variance(loads), 6);
    }

    [Fact]
    public void An_empty_pool_is_even()
    {
        Assert.Equal(0, Utilisation.Variance([new("a:", 10, 0, 0), new("b:", null, 0, 0)]));
    }

    [FsCheck.Xunit.Property]
    public Property A_pool_holding_exactly_its_targets_is_even_and_the_targets_add_up_to_its_bytes(NonEmptyArray<bool> remotes, NonNegativeInt extra)
    {
        long total = 1_000_000 + extra.Get;
        var loads = remotes.Get.Select((_, i) => new RemoteLoad($"r{i}:", null, 0, 0) { Weight = 1 + (i % 3) }).ToList();
        var targets = Utilisation.Targets(loads, total);
        var placed = loads.Select((l, i) => l with { Stored = (long)Math.Round(targets[i]) }).ToList();
        return (Math.Abs(targets.Sum() - total) < 1e-3 && Utilisation.Variance(placed) < 0.1).ToProperty();
    }
}
