using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Pool;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The automatic manifest compaction of <c>serve</c> (<c>manifest_compaction_objects</c>, with <c>manifest_packing</c>):
/// every <see cref="CheckInterval"/> it reads how many manifest objects this process has written per remote (a counter,
/// no remote call), and once that has grown by the threshold since the last compaction it runs one
/// (<see cref="ManifestCompactor"/>, small packs and single manifests merged), put off while a burst of writes arrives
/// (<see cref="ManifestCompactionTrigger"/>). Uploads and deletes go on meanwhile.
/// </summary>
public sealed class ManifestCompactionLoop
{
    private readonly StoragePool _owner;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ManifestCompactionTrigger _trigger;

    public ManifestCompactionLoop(StoragePool pool, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _owner = pool;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _trigger = new ManifestCompactionTrigger(pool.Config.ManifestCompactionObjects);
    }

    /// <summary>True when the config asks for it: packing on and a threshold above 0.</summary>
    public static bool Wanted(StoragePool pool) => pool?.Config.ManifestPacking == true && pool.Config.ManifestCompactionObjects > 0;

    public static TimeSpan CheckInterval { get; } = TimeSpan.FromSeconds(5);

    public int Threshold => _trigger.Threshold;

    /// <summary>Compactions run so far.</summary>
    public int Runs { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ManifestCompactionLog.Started(_logger, Threshold);
        try
        {
            while (true)
            {
                await Task.Delay(CheckInterval, _time, cancellationToken);
                await CheckOnceAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One check, and the compaction it calls for; the report, or null when none ran or it failed.</summary>
    public async Task<PackCompaction?> CheckOnceAsync(CancellationToken cancellationToken)
    {
        switch (_trigger.Check(_owner.Context.Manifests.ObjectsWrittenPerRemote))
        {
            case CompactionDecision.Wait:
                return null;
            case CompactionDecision.Defer:
                ManifestCompactionLog.Deferred(_logger, _trigger.Backlog, _trigger.Recent);
                return null;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var result = await new ManifestCompactor(_owner).CompactAsync(full: false, cancellationToken);
            Runs++;
            foreach (var problem in result.Problems)
            {
                ManifestCompactionLog.Problem(_logger, problem);
            }

            ManifestCompactionLog.Done(_logger, clock.Elapsed, result.PacksRemoved + result.SinglesRemoved, result.PacksWritten, result.SinglesFolded);
            return result;
        }
        catch (PoolException e)
        {
            ManifestCompactionLog.Failed(_logger, e.Kind.ToString(), e.Message, Threshold);
            return null;
        }
    }
}
