using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RclonePool.Server.Auth;

/// <summary>
/// Remembers user name and password pairs that passed PBKDF2 for <see cref="Lifetime"/>, so a client that sends its
/// password on every request (as HTTP Basic does) costs one hash a minute, not one per request. Entries are keyed by
/// an HMAC-SHA-256 of the pair under a key made at start and never stored: the cache holds no password, and what it
/// holds is useless outside this process. Wrong passwords are never cached.
/// </summary>
internal sealed class VerifiedPasswordCache(TimeProvider time, TimeSpan lifetime, int capacity = 10_000)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _entries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    /// <summary>True when this exact pair passed verification less than <see cref="Lifetime"/> ago.</summary>
    public bool Contains(string user, string password)
    {
        var id = Id(user, password);
        if (!_entries.TryGetValue(id, out var expires))
        {
            return false;
        }

        if (expires > time.GetUtcNow())
        {
            return true;
        }

        _entries.TryRemove(id, out _);
        return false;
    }

    public void Add(string user, string password)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= capacity)
        {
            foreach (var (id, expires) in _entries)
            {
                if (expires <= now)
                {
                    _entries.TryRemove(id, out _);
                }
            }

            if (_entries.Count >= capacity)
            {
                return; // full of live entries: verify the slow way rather than grow without bound
            }
        }

        _entries[Id(user, password)] = now + lifetime;
    }

    private string Id(string user, string password) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(user + "\0" + password)));
}
