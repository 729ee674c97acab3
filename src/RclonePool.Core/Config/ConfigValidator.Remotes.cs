namespace RclonePool.Core.Config;

public static partial class ConfigValidator
{
    private const string RemoteForms =
        "write \"name:\" or \"name:path\" for a remote of rclone's config, an absolute path for a local directory, or \"plugin=NAME\" for a storage_backend plugin";

    /// <summary>
    /// The spelling two remotes are compared by: "a:dir/" and "a:dir" are the same remote, as are
    /// "/srv/d1/" and "/srv/d1". Returns <paramref name="remote"/> unchanged when it is not a valid spec.
    /// </summary>
    public static string NormaliseRemote(string remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return RemoteSpec.Check(remote) is null ? RemoteSpec.Normalise(remote) : remote;
    }

    private static void CheckRemotes(PoolConfig config, List<ConfigProblem> problems)
    {
        if (config.Remotes.Count == 0 && config.Users.Count == 0)
        {
            problems.Add(new("remotes", "remotes is empty; list at least one rclone remote, e.g. [\"gdrive:\", \"/srv/disk1\"]."));
        }

        var pool = CheckRemoteList("remotes", config.Remotes, problems);
        var crypt = CheckRemoteList("crypt_remotes", config.CryptRemotes, problems);

        if (config.UseCrypt)
        {
            if (config.CryptRemotes.Count != config.Remotes.Count)
            {
                problems.Add(new("crypt_remotes",
                    $"use_crypt is true, so crypt_remotes needs one crypt remote per pool remote ({config.Remotes.Count}, in the same order), but it has {config.CryptRemotes.Count}."));
            }

            foreach (var (remote, index) in config.Remotes.Select((r, i) => (r, i)).Where(r => StorageBackendRemote.IsPluginRemote(r.r)))
            {
                problems.Add(new("use_crypt",
                    $"use_crypt is true, but remotes item {index + 1} {Quote(remote)} is a storage_backend plugin, which no rclone crypt remote can wrap; turn use_crypt off or take that remote out."));
            }

            foreach (var (normal, index) in crypt)
            {
                if (pool.ContainsKey(normal))
                {
                    problems.Add(new("crypt_remotes",
                        $"crypt_remotes item {index + 1} {Quote(config.CryptRemotes[index])} is also in remotes; a crypt remote wraps a pool remote and must be a different remote."));
                }
            }
        }

        CheckRemoteMap("remote_weights", config.RemoteWeights, pool, config.Remotes, problems, (remote, weight) =>
            double.IsFinite(weight) && weight > 0
                ? null
                : $"remote_weights gives {Quote(remote)} the weight {Number(weight)}; a weight must be greater than 0.");
        CheckRemoteMap("remote_priorities", config.RemotePriorities, pool, config.Remotes, problems, (_, _) => null);
        CheckRemoteMap("draining_remotes", config.DrainingRemotes.Distinct().ToDictionary(r => r, _ => 0), pool, config.Remotes, problems, (_, _) => null);
        if (config.Remotes.Count > 0 && config.Remotes.All(r => config.DrainingRemotes.Any(d => NormaliseRemote(d) == NormaliseRemote(r))))
        {
            problems.Add(new("draining_remotes", "draining_remotes names every remote of the pool; at least one must stay to hold the data. Add a remote first ('rclonepool remote add')."));
        }
    }

    /// <summary>Checks each spec and that none repeats; returns normalised spec → first index of the valid ones.</summary>
    private static Dictionary<string, int> CheckRemoteList(string key, List<string> remotes, List<ConfigProblem> problems)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < remotes.Count; i++)
        {
            var remote = remotes[i] ?? string.Empty;
            if (RemoteSpec.Check(remote) is { } reason)
            {
                problems.Add(new(key, $"{key} item {i + 1} {Quote(remote)} is not an rclone remote: {reason}; {RemoteForms}."));
                continue;
            }

            var normal = RemoteSpec.Normalise(remote);
            if (seen.TryGetValue(normal, out var first))
            {
                var same = remotes[first] == remote ? string.Empty : $" ({Quote(remotes[first])} and {Quote(remote)} are the same remote)";
                problems.Add(new(key, $"{key} names {Quote(normal)} twice, as items {first + 1} and {i + 1}{same}; each remote may be used once."));
                continue;
            }

            seen.Add(normal, i);
        }

        return seen;
    }

    private static void CheckRemoteMap<T>(
        string key,
        Dictionary<string, T> map,
        Dictionary<string, int> pool,
        List<string> remotes,
        List<ConfigProblem> problems,
        Func<string, T, string?> checkValue)
    {
        foreach (var (remote, value) in map)
        {
            if (!pool.ContainsKey(NormaliseRemote(remote)))
            {
                var suggestion = NearestName.Find(remote, remotes);
                var hint = suggestion is null
                    ? $"keys must be remotes of the remotes list ({string.Join(", ", remotes.Select(r => Quote(r)))})."
                    : $"did you mean {Quote(suggestion)}?";
                problems.Add(new(key, $"{key} names {Quote(remote)}, which is not in remotes; {hint}"));
            }

            if (checkValue(remote, value) is { } problem)
            {
                problems.Add(new(key, problem));
            }
        }
    }
}
