namespace RclonePool.Core.Jobs;

/// <summary>
/// What one rebalance may have in flight at once, over all its files: copies (<see cref="Copies"/>), and the reads
/// that check a copy on its destination (<see cref="Checks"/>). Apart, so that a read-back runs while the next copy
/// is already going: an account's upload and download are separate capacities, and a copy checked by reading it back
/// would otherwise leave the destination's upload idle for as long as the read takes.
/// </summary>
internal sealed class RelocationSlots(int workers) : IDisposable
{
    public SemaphoreSlim Copies { get; } = new(Math.Max(1, workers));

    public SemaphoreSlim Checks { get; } = new(Math.Max(1, workers));

    /// <summary>Runs <paramref name="work"/> holding one slot of <paramref name="slots"/>.</summary>
    public static async Task<T> HoldingAsync<T>(SemaphoreSlim slots, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(work);
        await slots.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose()
    {
        Copies.Dispose();
        Checks.Dispose();
    }
}
