using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Server.Users;
using RclonePool.Tests.Unit.Config;

namespace RclonePool.Tests.Unit.Users;

/// <summary>Who a request acts for, and the users' configs read at start (no pool is opened here).</summary>
public sealed class UserPoolsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PoolConfig Server(params (string User, string Json)[] users)
    {
        var config = new PoolConfig { WebdavUsers = users.ToDictionary(u => u.User, _ => "hash") };
        foreach (var (user, json) in users)
        {
            var path = _dir.File(user + ".json");
            File.WriteAllText(path, json);
            config.Users[user] = new UserPoolSpec { Config = path };
        }

        return config;
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("alice:phone", "alice")]
    [InlineData("bob:laptop:2", "bob")]
    [InlineData("eve", null)]
    [InlineData("eve:alice", null)]
    [InlineData(":alice", null)]
    [InlineData("alicex", null)]
    [InlineData("", null)]
    public async Task A_name_acts_for_the_user_it_names_and_a_key_for_the_user_before_its_colon(string principal, string? user)
    {
        await using var pools = UserPools.FromConfig(Server(("alice", """{"remotes": ["/srv/a"]}"""), ("bob", """{"remotes": ["/srv/b"]}""")), NullLoggerFactory.Instance);
        Assert.Equal(user, pools.OwnerOf(principal));
        Assert.Equal(["alice", "bob"], pools.Names);
    }

    [Fact]
    public void A_users_config_that_does_not_load_stops_the_start_naming_the_user()
    {
        var e = Assert.Throws<PoolException>(() => UserPools.FromConfig(Server(("alice", """{"remotes": ["/srv/a"], "chunk_size": 1}""")), NullLoggerFactory.Instance));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("The pool config of user 'alice'", e.Message, StringComparison.Ordinal);
        Assert.Contains("chunk_size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_users_config_with_users_of_its_own_is_refused()
    {
        var inner = _dir.File("inner.json");
        File.WriteAllText(inner, """{"remotes": ["/srv/i"]}""");
        var e = Assert.Throws<PoolException>(() => UserPools.FromConfig(
            Server(("alice", """{"webdav_users": {"x": "h"}, "users": {"x": {"config": """ + "\"" + inner + "\"}}}")), NullLoggerFactory.Instance));
        Assert.Contains("has a users section of its own", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_credentials_stops_the_start_saying_how_to_add_them()
    {
        var config = Server(("alice", """{"remotes": ["/srv/a"]}"""));
        config.WebdavUsers.Clear();
        config.WebdavApiKeys["alice:phone"] = "sha256$x";
        await using (var pools = UserPools.FromConfig(config, NullLoggerFactory.Instance))
        {
            Assert.Equal("alice", pools.OwnerOf("alice:phone"));
        }

        config.WebdavApiKeys.Clear();
        var e = Assert.Throws<PoolException>(() => UserPools.FromConfig(config, NullLoggerFactory.Instance));
        Assert.Contains("'rclonepool user add alice'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_config_without_users_is_refused() =>
        Assert.Throws<PoolException>(() => UserPools.FromConfig(new PoolConfig { Remotes = ["/srv/a"] }, NullLoggerFactory.Instance));
}
