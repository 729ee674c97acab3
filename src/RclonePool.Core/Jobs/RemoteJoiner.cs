using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Takes into an open pool (a running <c>serve</c>) the remotes that 'rclonepool remote add' appended to the config file
/// after the pool opened. Each check reads the config file; a remote that is new there joins once it carries this pool's
/// descriptor, which 'remote add' writes last, after every manifest. Joining adds it to the pool's remotes, so new
/// uploads, manifests and rebalances use it from then on, and writes to it the manifests of files changed since 'remote
/// add' copied them (<see cref="RemoteMembership"/>). A remote without a descriptor yet, of another pool, or not
/// answering is logged once and asked again at the next check. Weights, priorities and other settings of a joined
/// remote take effect at the next start; until then it has the defaults.
/// </summary>
public sealed class RemoteJoiner
{
    private readonly StoragePool _owner;
    private readonly PoolContext _pool;
    private readonly Func<PoolConfig> _readConfig;
    private readonly ILogger _logger;
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unfilled = new(StringComparer.Ordinal);

    /// <summary>How often a <c>serve</c> without <c>auto_rebalance</c> reads its config file for new remotes (with it: every <c>auto_rebalance_interval</c>).</summary>
    public static readonly TimeSpan ServeInterval = TimeSpan.FromSeconds(10);

    /// <param name="readConfig">Reads the config file as it is now (the one the pool was opened from).</param>
    public RemoteJoiner(StoragePool pool, Func<PoolConfig> readConfig, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _owner = pool;
        _pool = pool.Context;
        _readConfig = readConfig ?? throw new ArgumentNullException(nameof(readConfig));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>One look at the config file; returns the remotes that joined.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        PoolConfig config;
        try
        {
            config = _readConfig();
        }
        catch (PoolException)
        {
            return []; // a config file being edited, or invalid for a moment: the next check reads it again
        }

        var joined = new List<string>();
        var descriptors = new PoolDescriptors(_pool.Store, _pool.Layout);
        foreach (var remote in PoolRemote.FromConfig(config).Where(r => !_pool.Remotes.TryGet(r.Name, out _)))
        {
            PoolDescriptor? found;
            try
            {
                found = await descriptors.ReadAsync(remote, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.Environment or PoolErrorKind.NotFound)
            {
                TellOnce(remote.Name, "silent", () => RemoteJoinLog.NotAnswering(_logger, remote.Name, e.Message));
                continue;
            }

            if (found is null)
            {
                TellOnce(remote.Name, "waiting", () => RemoteJoinLog.Waiting(_logger, remote.Name));
                continue;
            }

            if (found.PoolId != _pool.PoolId)
            {
                TellOnce(remote.Name, "foreign", () => RemoteJoinLog.OtherPool(_logger, remote.Name, found.PoolId, _pool.PoolId));
                continue;
            }

            if (await _pool.Remotes.AddAsync(remote, cancellationToken))
            {
                RemoteJoinLog.Joined(_logger, remote.Name);
                joined.Add(remote.Name);
                _unfilled.Add(remote.Name);
            }
        }

        // What the joined remotes lack; a fill that failed or was cancelled is done again at the next check.
        foreach (var name in _unfilled.ToList())
        {
            await new RemoteMembership(_owner).JoinAsync(name, cancellationToken);
            _unfilled.Remove(name);
        }

        return joined;
    }

    /// <summary>Checks every <paramref name="interval"/> until cancelled; a failed check is logged and the next one runs on time.</summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await CheckAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Never out of the loop: it runs inside the server, which must keep serving.
                    RemoteJoinLog.Failed(_logger, e.Message, interval);
                }

                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void TellOnce(string remote, string state, Action tell)
    {
        if (_told.Add($"{remote}\n{state}"))
        {
            tell();
        }
    }
}
