using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Jobs;

namespace RclonePool.Server.Users;

/// <summary>
/// The background work of a multi-user server: each user whose own config asks for it (<c>enable_health_monitoring</c>,
/// <c>auto_rebalance</c>) gets a <see cref="HealthMonitor"/> and an <see cref="AutoRebalancer"/> over that user's pool,
/// which this opens at start (a pool that cannot open is logged and tried again after <see cref="RetryAfter"/>). Each runs on its
/// user's pool alone, so its events reach only that user's event bus (and WebSocket), and it logs under the user's name.
/// Users whose config asks for nothing keep the lazy open of <see cref="UserPools"/>.
/// </summary>
public sealed class UserBackgroundWork(UserPools users, ILoggerFactory loggerFactory, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long after a failed open a user's pool is opened again for its background work.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The users whose config asks for background work.</summary>
    public IReadOnlyList<string> Users => [.. users.Names.Where(u => AsksForWork(users.ConfigOf(u)))];

    /// <summary>Runs every user's background work until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(Users.Select(u => RunForAsync(u, cancellationToken)));

    public static bool AsksForWork(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.EnableHealthMonitoring || config.AutoRebalance;
    }

    private async Task RunForAsync(string user, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger($"RclonePool.Users.{user}");
        try
        {
            UserSession session;
            while (true)
            {
                try
                {
                    session = await users.OpenAsync(user, cancellationToken);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
                {
                    // Never out of the loop: a failure of the host's background work would stop the whole server.
                    UserLog.OpenFailed(logger, user, e.Message);
                    await Task.Delay(RetryAfter, _time, cancellationToken);
                }
            }

            var config = session.Pool.Config;
            var loops = new List<Task>();
            if (config.EnableHealthMonitoring)
            {
                loops.Add(new HealthMonitor(session.Pool, loggerFactory.CreateLogger($"RclonePool.Users.{user}.Health"), _time).RunAsync(cancellationToken));
            }

            if (config.AutoRebalance)
            {
                var path = session.Spec.Config;
                var rebalancer = new AutoRebalancer(session.Pool, loggerFactory.CreateLogger($"RclonePool.Users.{user}.Rebalance"), () => ConfigLoader.Load(path), _time);
                loops.Add(rebalancer.RunAsync(cancellationToken));
            }

            UserLog.BackgroundWorkStarted(logger, user, string.Join(", ", Describe(config)));
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static IEnumerable<string> Describe(PoolConfig config)
    {
        if (config.EnableHealthMonitoring)
        {
            yield return $"health monitoring every {Math.Max(1, config.HealthCheckInterval)} s";
        }

        if (config.AutoRebalance)
        {
            yield return $"auto_rebalance every {Math.Max(1, config.AutoRebalanceInterval)} s";
        }
    }
}
