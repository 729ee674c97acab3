using System.Collections.Concurrent;
using RclonePool.Core.Pool;

namespace RclonePool.Core.Jobs;

/// <summary>
/// What one rebalance may have in flight at once, over all its files: copies (<see cref="Copies"/>), and the reads
/// that check a copy on its destination (<see cref="Checks"/>). Apart, so that a read-back runs while the next copy
/// is already going: an account's upload and download are separate capacities, and a copy checked by reading it back
/// would otherwise leave the destination's upload idle for as long as the read takes. Copies to one remote that is not
/// a local directory are held to <see cref="TransferConcurrency.PerNetworkRemote"/> (<see cref="CopiesTo"/>), and so
/// are copies from one (<see cref="CopiesFrom"/>): more do not add bandwidth there, they only finish together and leave
/// all their read-backs to the end (a drain sends everything from one remote: with all the job's copies sharing its
/// bandwidth, the last read-backs would start together, once the source has nothing left to send).
/// </summary>
internal sealed class RelocationSlots(int workers) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _byDestination = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _bySource = new(StringComparer.Ordinal);

    public SemaphoreSlim Copies { get; } = new(Math.Max(1, workers));

    public SemaphoreSlim Checks { get; } = new(Math.Max(1, workers));

    /// <summary>The copies one destination may take at once: all of the job's for a local directory.</summary>
    public SemaphoreSlim CopiesTo(string remote, bool localDirectory) => _byDestination.GetOrAdd(remote, _ => PerRemote(localDirectory));

    /// <summary>The copies one source may feed at once: all of the job's for a local directory.</summary>
    public SemaphoreSlim CopiesFrom(string remote, bool localDirectory) => _bySource.GetOrAdd(remote, _ => PerRemote(localDirectory));

    private SemaphoreSlim PerRemote(bool localDirectory) =>
        new(localDirectory ? Math.Max(1, workers) : Math.Min(Math.Max(1, workers), TransferConcurrency.PerNetworkRemote));

    /// <summary>Runs <paramref name="work"/> holding one slot of each of <paramref name="slots"/>, taken in order.</summary>
    public static Task HoldingAsync(Func<Task> work, CancellationToken cancellationToken, params SemaphoreSlim[] slots)
    {
        ArgumentNullException.ThrowIfNull(work);
        return HoldingAsync(async () =>
        {
            await work();
            return true;
        }, cancellationToken, slots);
    }

    /// <inheritdoc cref="HoldingAsync(Func{Task}, CancellationToken, SemaphoreSlim[])"/>
    public static async Task<T> HoldingAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken, params SemaphoreSlim[] slots)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(slots);
        var held = 0;
        try
        {
            for (; held < slots.Length; held++)
            {
                await slots[held].WaitAsync(cancellationToken);
            }

            return await work();
        }
        finally
        {
            for (var i = held - 1; i >= 0; i--)
            {
                slots[i].Release();
            }
        }
    }

    public void Dispose()
    {
        Copies.Dispose();
        Checks.Dispose();
        foreach (var slots in _byDestination.Values.Concat(_bySource.Values))
        {
            slots.Dispose();
        }
    }
}
