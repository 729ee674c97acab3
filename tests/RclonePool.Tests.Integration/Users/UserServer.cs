using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Config;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Server.Metrics;
using RclonePool.Server.Users;

namespace RclonePool.Tests.Integration.Users;

/// <summary>
/// A multi-user <c>serve</c> on 127.0.0.1, port 0, with basic authentication: users alice, bob and carol, each with a
/// pool of their own (two local-directory remotes through a real rclone rcd, its own index and temp directory) made
/// from config files as an administrator writes them, and a server config whose users section names them. "eve" has a
/// password but no pool. The server config is on disk too, for the CLI's --user.
/// </summary>
public sealed class UserServer : IAsyncDisposable
{
    public const string Password = "users-Pässword-1";
    public static readonly string[] Names = ["alice", "bob", "carol"];
    private static readonly string PasswordHashValue = PasswordHash.Create(Password);

    private UserServer(string root, string serverConfig, UserPools pools, RunningServer server)
    {
        Root = root;
        ServerConfig = serverConfig;
        Pools = pools;
        Server = server;
    }

    public string Root { get; }

    /// <summary>The server's config file (webdav_users and the users section).</summary>
    public string ServerConfig { get; }

    public UserPools Pools { get; }

    public RunningServer Server { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="quotas">quota_bytes and quota_files by user (absent: none).</param>
    public static async Task<UserServer> StartAsync(IReadOnlyDictionary<string, (long Bytes, long Files)>? quotas = null, bool metrics = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "rclonepool-users-" + Guid.NewGuid().ToString("N")[..10]);
        var serverConfigPath = await WriteConfigsAsync(root, quotas);
        var loaded = ConfigLoader.Load(serverConfigPath);
        var pools = UserPools.FromConfig(loaded, NullLoggerFactory.Instance);
        try
        {
            var options = new ServerOptions
            {
                Host = "127.0.0.1",
                Port = 0,
                Authenticator = ServerAuthentication.Create(loaded, AuthMethod.Basic, NullLoggerFactory.Instance),
                Metrics = metrics ? new MetricsOptions { Port = 0 } : null,
            };
            var server = await PoolServer.StartAsync(pools, options, NullLoggerFactory.Instance, Ct);
            return new UserServer(root, serverConfigPath, pools, server);
        }
        catch
        {
            await pools.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes the users' pool configs (and creates their pools) and the server's config under <paramref name="root"/>, as
    /// an administrator would; returns the server config's path.
    /// </summary>
    public static async Task<string> WriteConfigsAsync(string root, IReadOnlyDictionary<string, (long Bytes, long Files)>? quotas = null)
    {
        var users = new Dictionary<string, UserPoolSpec>(StringComparer.Ordinal);
        foreach (var user in Names)
        {
            var config = new PoolConfig
            {
                Remotes = [Path.Combine(root, user, "r1"), Path.Combine(root, user, "r2")],
                ChunkSize = 64 * 1024,
                ManifestCacheDir = Path.Combine(root, user, "cache"),
                TempDir = Path.Combine(root, user, "tmp"),
                RetryDelay = 0.05,
            };
            config.Remotes.ForEach(r => Directory.CreateDirectory(r));
            var path = Path.Combine(root, user + ".json");
            ConfigWriter.Write(config, path);
            await using (var store = RemoteStoreFactory.Create(config))
            {
                await new PoolDescriptors(store, new PoolLayout(config.DataPrefix, config.ManifestPrefix)).EnsureAsync(PoolRemote.FromConfig(config), TimeProvider.System, Ct);
            }

            var quota = quotas?.GetValueOrDefault(user) ?? default;
            users[user] = new UserPoolSpec { Config = path, QuotaBytes = quota.Bytes, QuotaFiles = quota.Files };
        }

        var serverConfig = new PoolConfig
        {
            WebdavAuthMethod = "basic",
            WebdavUsers = Names.Append("eve").ToDictionary(n => n, _ => PasswordHashValue),
            Users = users,
            ManifestCacheDir = Path.Combine(root, "server-cache"),
            TempDir = Path.Combine(root, "server-tmp"),
        };
        var serverConfigPath = Path.Combine(root, "server.json");
        ConfigWriter.Write(serverConfig, serverConfigPath);
        return serverConfigPath;
    }

    /// <summary>A client signed in as <paramref name="user"/>, based at the WebDAV root.</summary>
    public HttpClient Client(string user, string? password = null)
    {
        var client = new HttpClient { BaseAddress = Server.Url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = Basic(user, password ?? Password);
        return client;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>The data objects (chunks) on the user's remotes.</summary>
    public IReadOnlyList<string> DataObjects(string user) =>
        [.. new[] { "r1", "r2" }.Select(r => Path.Combine(Root, user, r, "rclonepool_data")).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Pools.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
