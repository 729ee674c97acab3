using System.Security.Cryptography;
using RclonePool.Core.Errors;

namespace RclonePool.Server.Auth;

/// <summary>
/// The secrets a server checks against: user name → password hash (<c>webdav_users</c>) and key name → key hash
/// (<c>webdav_api_keys</c>). Only hashes are held. Password checks go through <see cref="VerifiedPasswordCache"/>
/// and at most <see cref="Environment.ProcessorCount"/> PBKDF2 runs at a time; an unknown user costs a hash too, so
/// timing does not tell which users exist.
/// </summary>
public sealed class CredentialStore
{
    // Checked against when the user is unknown, so that such a request costs the same hash; made on first need.
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHash.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    // PBKDF2 runs of the whole process, bounded so that a flood of wrong passwords cannot take every core.
    private static readonly SemaphoreSlim Hashing = new(Environment.ProcessorCount);

    private readonly Dictionary<string, string> _users;
    private readonly (string Name, byte[] Digest)[] _keys;
    private readonly VerifiedPasswordCache _cache;
    private int _passwordHashRuns;

    /// <param name="users">User name → hash written by <see cref="PasswordHash.Create"/>.</param>
    /// <param name="apiKeys">Key name → hash written by <see cref="ApiKey.Hash"/>.</param>
    /// <param name="time">Clock of the verification cache.</param>
    /// <param name="cacheLifetime">How long a verified password is remembered; default one minute.</param>
    public CredentialStore(
        IReadOnlyDictionary<string, string> users,
        IReadOnlyDictionary<string, string> apiKeys,
        TimeProvider? time = null,
        TimeSpan? cacheLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(apiKeys);
        foreach (var (user, hash) in users)
        {
            if (!PasswordHash.IsWellFormed(hash))
            {
                throw new PoolException(PoolErrorKind.BadInput,
                    $"webdav_users: the entry of user '{user}' is not a password hash made by rclonepool (pbkdf2-sha256, at least {PasswordHash.Iterations} iterations); " +
                    $"set it with 'rclonepool user passwd {user}' (never put a plain password in the config).");
            }
        }

        var keys = new List<(string, byte[])>();
        foreach (var (name, hash) in apiKeys)
        {
            if (!ApiKey.TryParseHash(hash, out var digest))
            {
                throw new PoolException(PoolErrorKind.BadInput,
                    $"webdav_api_keys: the entry of key '{name}' is not a key hash made by rclonepool (sha256$...); revoke it with 'rclonepool key revoke {name}' and create a new one with 'rclonepool key create {name}'.");
            }

            keys.Add((name, digest));
        }

        _users = new Dictionary<string, string>(users, StringComparer.Ordinal);
        _keys = [.. keys];
        _cache = new VerifiedPasswordCache(time ?? TimeProvider.System, cacheLifetime ?? TimeSpan.FromMinutes(1));
    }

    public int UserCount => _users.Count;

    public int KeyCount => _keys.Length;

    /// <summary>PBKDF2 runs so far (the verification cache's effect, for tests and benchmarks).</summary>
    internal int PasswordHashRuns => _passwordHashRuns;

    /// <summary>True when <paramref name="user"/> is known (for log lines: an unknown name may be a mistyped password, and is not logged).</summary>
    public bool HasUser(string user) => _users.ContainsKey(user);

    /// <summary>True when <paramref name="password"/> is <paramref name="user"/>'s; at most one PBKDF2 run per pair and cache lifetime.</summary>
    public async ValueTask<bool> VerifyPasswordAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (_cache.Contains(user, password))
        {
            return true;
        }

        var known = _users.TryGetValue(user, out var hash);
        await Hashing.WaitAsync(cancellationToken);
        bool ok;
        try
        {
            Interlocked.Increment(ref _passwordHashRuns);
            ok = PasswordHash.Verify(password, known ? hash! : DecoyHash.Value) && known;
        }
        finally
        {
            Hashing.Release();
        }

        if (ok)
        {
            _cache.Add(user, password);
        }

        return ok;
    }

    /// <summary>The name of the key <paramref name="presented"/> is, or null; compares with every stored key in constant time.</summary>
    public string? FindKey(string presented)
    {
        var digest = ApiKey.Digest(presented);
        string? found = null;
        foreach (var (name, stored) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, stored))
            {
                found = name;
            }
        }

        return found;
    }
}
