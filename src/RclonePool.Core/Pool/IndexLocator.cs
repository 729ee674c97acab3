using System.IO.Hashing;
using System.Text;
using RclonePool.Core.Config;

namespace RclonePool.Core.Pool;

/// <summary>
/// Finds the local SQLite index of the pool a config names without asking its remotes. The index file is named by the
/// pool id, which the remotes' descriptors hold; every open of the pool (and <c>init</c>) remembers, beside the index in
/// <c>manifest_cache_dir</c>, which pool id this list of remotes named (<c>remotes-&lt;hash&gt;.pool-id</c>, the hash
/// over the storage remotes in config order). A read-only command that needs only the index (<c>ls</c>) starts from
/// that: no rclone, no remote call, no descriptor read.
/// </summary>
/// <remarks>
/// The record can only be as old as the last open: when the remotes are emptied and made a new pool by hand, the
/// first command that opens the pool (or <c>init</c>) updates it; until then a reader finds the old pool's index. Any
/// other config (PostgreSQL index, <c>enable_manifest_cache</c> off) has no record.
/// </remarks>
public static class IndexLocator
{
    private const string Suffix = ".pool-id";

    /// <summary>The index file this config's remotes named when last opened, if it exists; null otherwise.</summary>
    public static string? TryLocate(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Applies(config))
        {
            return null;
        }

        string? poolId;
        try
        {
            poolId = File.ReadAllText(RecordPath(config)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (!IsFileName(poolId))
        {
            return null;
        }

        var index = Path.Combine(ConfigLoader.ExpandHome(config.ManifestCacheDir), $"{poolId}.sqlite");
        return File.Exists(index) ? index : null;
    }

    /// <summary>
    /// Records that this config's remotes name <paramref name="poolId"/> (written only when it changed, atomically).
    /// Best effort: a record that cannot be written only means the next reader asks the remotes.
    /// </summary>
    public static void Remember(PoolConfig config, string poolId)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(poolId);
        if (!Applies(config) || !IsFileName(poolId))
        {
            return;
        }

        var record = RecordPath(config);
        try
        {
            if (File.Exists(record) && File.ReadAllText(record).Trim() == poolId)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(record)!);
            var temporary = $"{record}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, poolId + "\n");
            File.Move(temporary, record, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The index itself lives in the same directory: its own open reports a directory that cannot be written.
        }
    }

    /// <summary>A pool id as it names the index file: letters, digits, '-' and '_' (ids are 32 hex digits).</summary>
    private static bool IsFileName(string poolId) =>
        poolId.Length is > 0 and <= 64 && poolId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool Applies(PoolConfig config) =>
        config.EnableManifestCache && config.IndexBackend != "postgresql" && config.Remotes.Count > 0;

    private static string RecordPath(PoolConfig config)
    {
        var remotes = string.Join('\n', PoolRemote.FromConfig(config).Select(r => r.Storage));
        var hash = Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(remotes)));
        return Path.Combine(ConfigLoader.ExpandHome(config.ManifestCacheDir), $"remotes-{hash}{Suffix}");
    }
}
