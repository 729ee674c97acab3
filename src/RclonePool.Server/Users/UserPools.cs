using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Pool;
using RclonePool.Core.Quotas;

namespace RclonePool.Server.Users;

/// <summary>
/// The pools of a multi-user server (the <c>users</c> section), one per user, each opened from the user's own config
/// with the user's quota on the user's first request and kept open until the server stops. Opening is lazy so that a
/// server of many users starts at once and runs rclone, indexes and caches only for those who connect, and so that one
/// user's unreachable remotes never keep the others from being served; the configs themselves are read and checked when
/// this is built, so a mistake in any of them stops the start with a message naming it. A failed open is not
/// remembered: the next request tries again.
/// </summary>
public sealed class UserPools : IAsyncDisposable
{
    private readonly Dictionary<string, Slot> _slots;
    private readonly Func<string, UserPoolSpec, PoolConfig, CancellationToken, Task<StoragePool>> _open;
    private int _disposed;

    private UserPools(IEnumerable<(string User, UserPoolSpec Spec, PoolConfig Config)> users, Func<string, UserPoolSpec, PoolConfig, CancellationToken, Task<StoragePool>> open)
    {
        _slots = users.ToDictionary(u => u.User, u => new Slot(u.Spec, u.Config), StringComparer.Ordinal);
        _open = open;
    }

    /// <summary>The users with a pool, in name order.</summary>
    public IReadOnlyList<string> Names => [.. _slots.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Reads and checks every user's config of <paramref name="serverConfig"/>'s <c>users</c> section (BadInput naming
    /// the user and the file when one is missing, invalid, or has a users section itself, or when a user has neither a
    /// password nor a key); pools open later.
    /// <paramref name="configure"/> adds to each user's <see cref="PoolBuilder"/> (tests pass their own transports).
    /// </summary>
    public static UserPools FromConfig(PoolConfig serverConfig, ILoggerFactory loggerFactory, Func<string, PoolBuilder, PoolBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serverConfig);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (serverConfig.Users.Count == 0)
        {
            throw new PoolException(PoolErrorKind.BadInput, "The config has no users section; add one (docs/multi-user.md) to serve a pool per user.");
        }

        if (ConfigValidator.UsersWithoutCredentials(serverConfig) is { Count: > 0 } missing)
        {
            throw new PoolException(PoolErrorKind.BadInput, string.Join(" ", missing));
        }

        var users = serverConfig.Users.Select(u => (u.Key, u.Value, LoadUserConfig(u.Key, u.Value))).ToList();
        return new UserPools(users, async (user, spec, config, ct) =>
        {
            var builder = new PoolBuilder(config)
                .UseLoggerFactory(loggerFactory)
                .UseQuota(new QuotaLimits(user, spec.QuotaBytes, spec.QuotaFiles))
                .ServeClients();
            return await (configure?.Invoke(user, builder) ?? builder).OpenAsync(ct);
        });
    }

    /// <summary>True when <paramref name="user"/> has a pool here.</summary>
    public bool Contains(string user) => _slots.ContainsKey(user);

    /// <summary>
    /// The user a request authenticated as <paramref name="principal"/> acts for: the user of that name, or for a key
    /// named USER:LABEL, USER; null when that is nobody with a pool.
    /// </summary>
    public string? OwnerOf(string principal)
    {
        if (_slots.ContainsKey(principal))
        {
            return principal;
        }

        var colon = principal.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && _slots.ContainsKey(principal[..colon]) ? principal[..colon] : null;
    }

    /// <summary>The pool config of <paramref name="user"/>, as read when this was built.</summary>
    public PoolConfig ConfigOf(string user) => _slots[user].Config;

    /// <summary>The quota of <paramref name="user"/> as configured.</summary>
    public UserPoolSpec SpecOf(string user) => _slots[user].Spec;

    /// <summary>The user's pools that are open now.</summary>
    internal IEnumerable<UserSession> Opened => _slots.Values.Select(s => s.Session).OfType<UserSession>();

    /// <summary>The user's session, opening the pool on first use (one open at a time per user).</summary>
    internal async ValueTask<UserSession> OpenAsync(string user, CancellationToken cancellationToken)
    {
        var slot = _slots[user];
        if (Volatile.Read(ref slot.Session) is { } open)
        {
            return open;
        }

        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (slot.Session is { } raced)
            {
                return raced;
            }

            StoragePool pool;
            try
            {
                pool = await _open(user, slot.Spec, slot.Config, cancellationToken);
            }
            catch (PoolException e)
            {
                throw new PoolException(e.Kind, $"The pool of user '{user}' ({slot.Spec.Config}) could not be opened: {e.Message}", e);
            }

            var session = new UserSession(user, slot.Spec, pool);
            Volatile.Write(ref slot.Session, session);
            return session;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Closes every open pool (cancelling its jobs first).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var slot in _slots.Values)
        {
            await slot.Gate.WaitAsync();
            try
            {
                if (slot.Session is { } session)
                {
                    await session.DisposeAsync();
                }
            }
            finally
            {
                slot.Gate.Release();
                slot.Dispose();
            }
        }
    }

    private static PoolConfig LoadUserConfig(string user, UserPoolSpec spec)
    {
        PoolConfig config;
        try
        {
            config = ConfigLoader.Load(spec.Config);
        }
        catch (PoolException e)
        {
            throw new PoolException(e.Kind, $"The pool config of user '{user}' (users section) cannot be used: {e.Message}", e);
        }

        if (config.Users.Count > 0)
        {
            throw new PoolException(PoolErrorKind.BadInput,
                $"The pool config of user '{user}' ({spec.Config}) has a users section of its own; a user's config describes one pool: remove its users section.");
        }

        return config;
    }

    private sealed class Slot(UserPoolSpec spec, PoolConfig config) : IDisposable
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly UserPoolSpec Spec = spec;
        public readonly PoolConfig Config = config;
        public UserSession? Session;

        public void Dispose() => Gate.Dispose();
    }
}
