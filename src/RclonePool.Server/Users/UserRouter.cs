using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Server.Api;
using RclonePool.Server.Health;
using RclonePool.Server.Metrics;

namespace RclonePool.Server.Users;

/// <summary>
/// The end of a multi-user server's pipeline, after authentication: hands each request to the <see cref="UserTenant"/>
/// of the user it authenticated as (opening that user's pool on first use). A name with no pool gets 403; a pool that
/// cannot be opened, the status of its failure (503 for an unreachable remote) with the reason, and the next request
/// tries again.
/// </summary>
internal sealed class UserRouter : IDisposable
{
    private readonly UserPools _users;
    private readonly ServerOptions _options;
    private readonly IServiceProvider _host;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Lazy<UserTenant>> _tenants = new(StringComparer.Ordinal);

    public UserRouter(UserPools users, ServerOptions options, IServiceProvider host, ILoggerFactory loggerFactory)
    {
        _users = users;
        _options = options;
        _host = host;
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger("RclonePool.Server.Users");
        var pathBase = string.IsNullOrWhiteSpace(options.PathBase) ? PoolPath.Root : PoolPath.Parse(options.PathBase.Trim());
        PathBase = pathBase.IsRoot ? string.Empty : pathBase.Value;
    }

    /// <summary>The decoded path base, "" or "/name", as every user's WebDAV has it.</summary>
    public string PathBase { get; }

    public async Task InvokeAsync(HttpContext context)
    {
        var principal = context.User.Identity?.Name ?? string.Empty;
        if (_users.OwnerOf(principal) is not { } user)
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"'{principal}' signed in, but has no pool on this server; the administrator gives a user a pool in the users section of the server's config (docs/multi-user.md).");
            return;
        }

        UserSession session;
        try
        {
            session = await _users.OpenAsync(user, context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A remote down, an index that cannot be opened: this user's requests fail with the reason, the others go on.
            UserLog.OpenFailed(_log, user, e.Message);
            var status = e is PoolException pool ? WebDav.PoolErrors.StatusOf(pool.Kind) : StatusCodes.Status503ServiceUnavailable;
            if (status >= 500)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await ApiProblems.WriteAsync(context, status, e is PoolException ? e.Message : $"The pool of user '{user}' could not be opened ({e.Message}); try again, and see the server's log.");
            return;
        }

        var tenant = _tenants.GetOrAdd(user, _ => new Lazy<UserTenant>(() => UserTenant.Create(session, _options, _host, _loggerFactory))).Value;
        await tenant.InvokeAsync(context);
    }

    /// <summary><c>/readyz</c>: every pool opened so far can answer (a pool not opened yet has nothing against it).</summary>
    public bool IsReady() => _users.Opened.All(s => PoolReadiness.IsReady(s.Pool));

    /// <summary>The metrics port answers credentials that are not a pool's user (its series name every user).</summary>
    public bool MayScrape(string principal) => _users.OwnerOf(principal) is null;

    /// <summary>Adds the per-user series to the server's metrics.</summary>
    public void AddMetrics(PoolMetrics metrics) => UserMetrics.Register(metrics.Registry, _users);

    public void Dispose()
    {
        foreach (var tenant in _tenants.Values.Where(t => t.IsValueCreated))
        {
            tenant.Value.Dispose();
        }
    }
}
