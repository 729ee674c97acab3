using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Tests.Unit.Config;

namespace RclonePool.Tests.Unit.Users;

/// <summary>The users section: how it is read, written and checked.</summary>
public sealed class UsersConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string UserConfig(string name)
    {
        var path = _dir.File(name + ".json");
        File.WriteAllText(path, "{\"remotes\": [\"/srv/" + name + "\"]}");
        return path;
    }

    private static PoolConfig Parse(string json) => ConfigLoader.Parse(json, "test.json");

    private PoolConfig WithUsers(string users) =>
        Parse($$"""{"webdav_users": {"alice": "h", "bob": "h"}, "webdav_api_keys": {"carol:phone": "sha256$x"}, "users": {{users}}}""");

    [Fact]
    public void A_users_section_is_read_with_sizes_and_written_back_the_same()
    {
        var alice = UserConfig("alice");
        var bob = UserConfig("bob");
        var config = WithUsers($$$"""{"alice": {"config": "{{{alice}}}", "quota_bytes": "10M", "quota_files": 5}, "bob": {"config": "{{{bob}}}"}}""");
        Assert.Equal(new UserPoolSpec { Config = alice, QuotaBytes = 10L << 20, QuotaFiles = 5 }, config.Users["alice"]);
        Assert.Equal(0, config.Users["bob"].QuotaBytes);
        Assert.Empty(ConfigValidator.Validate(config)); // no remotes needed on the server's own config
        var again = Parse(ConfigWriter.ToJson(config));
        Assert.True(ConfigKeys.Find("users")!.ValueEquals(config, again));
    }

    [Theory]
    [InlineData("""{"alice": "/x.json"}""", "users entry \"alice\" must be an object")]
    [InlineData("""{"alice": {"quota_bytes": 5}}""", "users entry \"alice\" has no \"config\"")]
    [InlineData("""{"alice": {"config": "/x.json", "quota": 5}}""", "users entry \"alice\" has the unknown field \"quota\"")]
    [InlineData("""{"alice": {"config": "/x.json", "quota_bytes": "lots"}}""", "users entry \"alice\" quota_bytes must be a size")]
    [InlineData("""{"alice": {"config": "/x.json", "quota_files": 1.5}}""", "quota_files must be a whole number of files")]
    public void A_malformed_entry_is_refused_naming_user_and_field(string users, string expected)
    {
        var e = Assert.Throws<PoolException>(() => WithUsers(users));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_file_negative_quotas_a_relative_path_and_a_shared_config_are_each_reported()
    {
        var shared = UserConfig("shared");
        var config = WithUsers($$"""
            {
              "alice": {"config": "{{_dir.File("missing.json")}}"},
              "bob": {"config": "{{shared}}", "quota_bytes": -1, "quota_files": -2},
              "dave": {"config": "{{shared}}"},
              "carol": {"config": "relative.json"}
            }
            """);
        var messages = ConfigValidator.Validate(config).Select(p => p.Message).ToList();
        Assert.All(ConfigValidator.Validate(config), p => Assert.Equal("users", p.Key));
        Assert.Contains(messages, m => m.Contains("\"alice\" has the config", StringComparison.Ordinal) && m.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("quota_bytes -1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("quota_files -2", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("share the config", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("\"carol\" has the config \"relative.json\", which is not an absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public void A_user_without_a_password_or_key_is_named_with_how_to_add_one_and_a_key_named_after_them_counts()
    {
        var config = WithUsers("""{"carol": {"config": "/c.json"}, "dave": {"config": "/d.json"}, "alice": {"config": "/a.json"}}""");
        var missing = Assert.Single(ConfigValidator.UsersWithoutCredentials(config));
        Assert.Contains("\"dave\" has no credentials", missing, StringComparison.Ordinal);
        Assert.Contains("rclonepool user add dave", missing, StringComparison.Ordinal);

        // 'rclonepool user add dave' can still edit this config: the check is the server's, at start.
        Assert.DoesNotContain(ConfigValidator.Validate(config), p => p.Message.Contains("credentials", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alice", "alice", true)]
    [InlineData("alice:phone", "alice", true)]
    [InlineData("alice2", "alice", false)]
    [InlineData("ali", "alice", false)]
    [InlineData(":alice", "alice", false)]
    public void A_key_acts_for_the_user_it_is_named_after(string key, string user, bool belongs) =>
        Assert.Equal(belongs, ConfigValidator.KeyBelongsTo(key, user));

    [Fact]
    public void Without_users_a_config_still_needs_remotes() =>
        Assert.Contains(ConfigValidator.Validate(new PoolConfig()), p => p.Key == "remotes");
}
