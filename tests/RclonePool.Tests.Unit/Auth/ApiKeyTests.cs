using RclonePool.Server.Auth;

namespace RclonePool.Tests.Unit.Auth;

public sealed class ApiKeyTests
{
    [Fact]
    public void Generated_keys_are_long_random_and_url_safe()
    {
        var a = ApiKey.Generate();
        var b = ApiKey.Generate();
        Assert.NotEqual(a, b);
        Assert.StartsWith("rcp_", a, StringComparison.Ordinal);
        Assert.Equal(4 + 43, a.Length);
        Assert.DoesNotContain(a, c => c is '+' or '/' or '=');
    }

    [Fact]
    public void The_stored_hash_matches_the_key_and_does_not_contain_it()
    {
        var key = ApiKey.Generate();
        var stored = ApiKey.Hash(key);
        Assert.StartsWith("sha256$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], stored, StringComparison.Ordinal);
        Assert.True(ApiKey.TryParseHash(stored, out var digest));
        Assert.Equal(ApiKey.Digest(key), digest);
    }

    [Fact]
    public void A_store_finds_the_key_by_name_and_nothing_for_another()
    {
        var key = ApiKey.Generate();
        var store = new CredentialStore(new Dictionary<string, string>(), new Dictionary<string, string> { ["ci"] = ApiKey.Hash(key), ["other"] = ApiKey.Hash(ApiKey.Generate()) });
        Assert.Equal("ci", store.FindKey(key));
        Assert.Null(store.FindKey(ApiKey.Generate()));
        Assert.Null(store.FindKey(string.Empty));
    }

    [Theory]
    [InlineData("rcp_plaintextkeyputintheconfig")]
    [InlineData("sha256$tooshort")]
    public void A_store_refuses_a_key_entry_that_is_not_a_hash_without_repeating_it(string stored)
    {
        var e = Assert.Throws<RclonePool.Core.Errors.PoolException>(() =>
            new CredentialStore(new Dictionary<string, string>(), new Dictionary<string, string> { ["ci"] = stored }));
        Assert.Contains("rclonepool key revoke ci", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(stored, e.Message, StringComparison.Ordinal);
    }
}
