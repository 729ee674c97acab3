using RclonePool.Core.IO;

namespace RclonePool.Tests.Unit.IO;

public sealed class ByteBudgetTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Requests_that_fit_are_granted_at_once_and_the_rest_wait_for_a_release()
    {
        var budget = new ByteBudget(100);
        using var first = await budget.AcquireAsync(60, None);
        using var second = await budget.AcquireAsync(40, None);
        Assert.Equal(0, budget.Available);

        var third = budget.AcquireAsync(10, None).AsTask();
        Assert.False(third.IsCompleted);

        first.Dispose();
        using var granted = await third;
        Assert.Equal(50, budget.Available);
    }

    [Fact]
    public async Task A_large_request_is_not_passed_over_by_smaller_ones_that_arrive_after_it()
    {
        var budget = new ByteBudget(100);
        var held = await budget.AcquireAsync(50, None);
        var large = budget.AcquireAsync(80, None).AsTask();
        var small = budget.AcquireAsync(10, None).AsTask();
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted); // it would fit, but the large one came first

        held.Dispose();
        using (await large)
        {
            using var afterLarge = await small;
            Assert.Equal(10, budget.Available);
        }

        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task A_request_larger_than_the_budget_takes_all_of_it_and_a_lease_is_released_once()
    {
        var budget = new ByteBudget(100);
        var all = await budget.AcquireAsync(1_000, None);
        Assert.Equal(100, all.Amount);
        Assert.Equal(0, budget.Available);

        all.Dispose();
        all.Dispose();
        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue_and_lets_the_next_waiter_in()
    {
        var budget = new ByteBudget(100);
        using var held = await budget.AcquireAsync(60, None);
        using var cancel = new CancellationTokenSource();
        var blocked = budget.AcquireAsync(90, cancel.Token).AsTask();
        var behind = budget.AcquireAsync(30, None).AsTask();
        Assert.False(behind.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        using var granted = await behind;
        Assert.Equal(10, budget.Available);
    }
}
