using RclonePool.Core.Errors;
using RclonePool.Server.Auth;

namespace RclonePool.Tests.Unit.Auth;

public sealed class CredentialStoreTests
{
    private static readonly string AliceHash = PasswordHash.Create("alice-pw");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_verified_password_costs_one_hash_per_minute_not_one_per_request()
    {
        var clock = new SteppedClock();
        var store = new CredentialStore(new Dictionary<string, string> { ["alice"] = AliceHash }, new Dictionary<string, string>(), clock);

        for (var i = 0; i < 50; i++)
        {
            Assert.True(await store.VerifyPasswordAsync("alice", "alice-pw", Ct));
        }

        Assert.Equal(1, store.PasswordHashRuns);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await store.VerifyPasswordAsync("alice", "alice-pw", Ct));
        Assert.Equal(2, store.PasswordHashRuns);
    }

    [Fact]
    public async Task Wrong_passwords_are_never_cached_and_unknown_users_cost_a_hash_too()
    {
        var store = new CredentialStore(new Dictionary<string, string> { ["alice"] = AliceHash }, new Dictionary<string, string>(), new SteppedClock());

        Assert.False(await store.VerifyPasswordAsync("alice", "wrong", Ct));
        Assert.False(await store.VerifyPasswordAsync("alice", "wrong", Ct));
        Assert.False(await store.VerifyPasswordAsync("mallory", "alice-pw", Ct));
        Assert.False(await store.VerifyPasswordAsync("ALICE", "alice-pw", Ct));

        Assert.Equal(4, store.PasswordHashRuns);
    }

    [Fact]
    public void A_plain_password_in_webdav_users_is_refused_with_the_command_that_fixes_it_and_without_the_password()
    {
        var e = Assert.Throws<PoolException>(() =>
            new CredentialStore(new Dictionary<string, string> { ["bob"] = "hunter2" }, new Dictionary<string, string>()));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("rclonepool user passwd bob", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }
}
