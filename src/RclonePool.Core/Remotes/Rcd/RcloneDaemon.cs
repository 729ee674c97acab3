using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// Supervises one <c>rclone rcd</c> child: started on first use, bound to 127.0.0.1 (a free port unless
/// <c>rclone_daemon_port</c> names one) with random credentials, pinged periodically, replaced when it dies or stops
/// answering, and stopped with its owner (dispose), on process exit, on termination signals, and, through the kernel's
/// parent-death signal, even when this process is killed outright.
/// </summary>
public sealed partial class RcloneDaemon : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly RcloneOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _user = RandomToken(9);
    private readonly string _password = RandomToken(24);
    private readonly ITimer? _healthTimer;
    private volatile Instance? _current;
    private RcdCredentialsFile? _credentialsFile;
    private int _generation;
    private int _failedChecks;
    private int _checking;
    private volatile bool _disposed;

    public RcloneDaemon(RcloneOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RcloneDaemon>();
        Http = CreateHttpClient(_user, _password);
        if (options.HealthCheckInterval > TimeSpan.Zero)
        {
            _healthTimer = options.TimeProvider.CreateTimer(_ => _ = CheckOnTimerAsync(), null, options.HealthCheckInterval, options.HealthCheckInterval);
        }
    }

    /// <summary>The pid of the running daemon, or null when none runs (not started yet, stopped, or died).</summary>
    public int? ProcessId => Alive(_current)?.Process.Id;

    /// <summary>The base address of the running daemon, or null when none runs.</summary>
    public Uri? Address => Alive(_current)?.Endpoint.BaseAddress;

    /// <summary>The one client for all calls to the daemon: pooled connections, basic auth preset, no proxy, no redirects.</summary>
    internal HttpClient Http { get; }

    internal RcloneOptions Options => _options;

    /// <summary>Starts the daemon unless it runs; returns its base address.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken) => (await GetEndpointAsync(cancellationToken)).BaseAddress;

    /// <summary>
    /// Starts the daemon now without waiting for it, so that its start overlaps the caller's own work (a command that
    /// will call rclone as soon as it has opened the pool). A failure is only logged: the first call meets it again and
    /// reports it.
    /// </summary>
    public void StartInBackground() => _ = StartQuietlyAsync();

    /// <summary>True when the running daemon answers <c>rc/noop</c>; false when none runs or it does not answer.</summary>
    public async Task<bool> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var current = Alive(_current);
        return current is not null && await PingAsync(current.Endpoint.BaseAddress, cancellationToken);
    }

    /// <summary>Stops the daemon (SIGTERM, then SIGKILL); the next call starts a new one.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_current is { } current)
            {
                await RetireAsync(current);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The running daemon's endpoint, starting one when none runs (first use, or after it died).</summary>
    internal async ValueTask<RcdEndpoint> GetEndpointAsync(CancellationToken cancellationToken)
    {
        if (Alive(_current) is { } running)
        {
            return running.Endpoint;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfShuttingDown();
            if (Alive(_current) is { } started)
            {
                return started.Endpoint;
            }

            if (_current is { } dead)
            {
                await RetireAsync(dead);
            }

            return (await LaunchAsync(cancellationToken)).Endpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Called after a call to <paramref name="failed"/> could not reach it. Replaces that incarnation when it died or
    /// does not answer; true when a different incarnation now serves (the call may be sent again).
    /// </summary>
    internal async Task<bool> RecoverAsync(RcdEndpoint failed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfShuttingDown();
            var current = _current;
            if (current is null || current.Endpoint.Generation != failed.Generation)
            {
                return true;
            }

            if (Alive(current) is not null)
            {
                if (await PingAsync(current.Endpoint.BaseAddress, cancellationToken))
                {
                    return false;
                }

                RcloneLog.DaemonUnhealthy(_logger, current.Process.Id, "no answer after a failed call");
            }

            await RetireAsync(current);
            await LaunchAsync(cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StartQuietlyAsync()
    {
        try
        {
            await StartAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RcloneLog.EarlyStartFailed(_logger, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _healthTimer?.Dispose();
        await StopAsync();
        Http.Dispose();
        _credentialsFile?.Dispose();
    }

    /// <summary>Kills the daemon at once (no grace period); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _healthTimer?.Dispose();
        if (_current is { } current)
        {
            current.Stopping = true;
            current.Process.Dispose();
            _current = null;
        }

        Http.Dispose();
        _credentialsFile?.Dispose();
    }

    /// <summary>Once the process is being stopped by a signal, a daemon that is gone is not replaced: the call ends as cancelled.</summary>
    private static void ThrowIfShuttingDown()
    {
        if (RcloneChildren.ShuttingDown)
        {
            throw new OperationCanceledException("rclonepool is stopping; rclone rcd is not restarted.");
        }
    }

    private static Instance? Alive(Instance? instance) => instance is not null && !instance.Process.HasExited ? instance : null;

    private async Task RetireAsync(Instance instance)
    {
        instance.Stopping = true;
        await instance.Process.StopAsync(StopGrace);
        await instance.Process.DisposeAsync();
        RcloneLog.DaemonStopped(_logger, instance.Process.Id);
        if (ReferenceEquals(_current, instance))
        {
            _current = null;
        }
    }

    private async Task<bool> PingAsync(Uri baseAddress, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit ?? _options.PingTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "rc/noop")) { Content = RcdJson.EmptyObject() };
            using var response = await Http.SendAsync(request, timeout.Token);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task CheckOnTimerAsync()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            // A dead daemon is replaced on next use; a live one that stops answering twice running is replaced now.
            var current = Alive(_current);
            if (current is null || _disposed || RcloneChildren.ShuttingDown || await PingAsync(current.Endpoint.BaseAddress, CancellationToken.None))
            {
                _failedChecks = 0;
                return;
            }

            if (++_failedChecks < 2)
            {
                return;
            }

            _failedChecks = 0;
            RcloneLog.DaemonUnhealthy(_logger, current.Process.Id, "no answer to rc/noop");
            await _gate.WaitAsync();
            try
            {
                if (ReferenceEquals(_current, current))
                {
                    await RetireAsync(current);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RcloneLog.HealthCheckFailed(_logger, e.Message);
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    private static HttpClient CreateHttpClient(string user, string password)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = 256,
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return client;
    }

    private static string RandomToken(int bytes) =>
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>One incarnation of the daemon.</summary>
    private sealed class Instance(RcloneProcess process, RcdEndpoint endpoint)
    {
        public RcloneProcess Process { get; } = process;

        public RcdEndpoint Endpoint { get; } = endpoint;

        /// <summary>Set when we stop it, so its exit is not reported as a crash.</summary>
        public volatile bool Stopping;
    }
}
