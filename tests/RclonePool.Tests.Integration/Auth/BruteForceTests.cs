using System.Net;
using Microsoft.Extensions.Logging;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Auth;

/// <summary>1,000 wrong passwords from one client address: slowed, then 429, while a client on another address keeps working.</summary>
public sealed class BruteForceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_thousand_wrong_passwords_are_refused_with_429_while_the_right_client_keeps_working()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, factory);
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { Authenticator = authenticator }, loggerFactory: factory);
        using var attacker = AuthFixtures.ClientFrom(IPAddress.Parse("127.0.0.1"), server.Url);
        using var user = AuthFixtures.ClientFrom(IPAddress.Parse("127.0.0.2"), server.Url);
        user.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
        attacker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.WrongPassword));

        var statuses = new List<HttpStatusCode>();
        var userStatuses = new List<HttpStatusCode>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            using var response = await attacker.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/") { Headers = { { "Depth", "0" } } }, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(int.TryParse(response.Headers.RetryAfter?.ToString(), out var seconds) && seconds is > 0 and <= 60, $"Retry-After: {response.Headers.RetryAfter}");
            }

            if (i % 50 == 0)
            {
                using var ok = await user.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/") { Headers = { { "Depth", "0" } } }, Ct);
                userStatuses.Add(ok.StatusCode);
            }
        }

        var elapsed = started.Elapsed;
        var first429 = statuses.IndexOf(HttpStatusCode.TooManyRequests);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"1000 wrong passwords: {statuses.Count(s => s == HttpStatusCode.Unauthorized)} x 401, then {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} x 429 " +
            $"(first 429 at attempt {first429 + 1}) in {elapsed.TotalSeconds:0.0} s; the right client on 127.0.0.2: {string.Join(',', userStatuses.Select(s => (int)s))}");
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 9), statuses.Take(9));
        Assert.All(statuses.Skip(9), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.All(userStatuses, s => Assert.Equal(HttpStatusCode.MultiStatus, s));
        Assert.True(elapsed >= TimeSpan.FromSeconds(3.7), $"failures 6 to 9 should have been slowed by 3.75 s in all; the run took {elapsed}");

        // Once locked out, the address gets 429 even with the right password: no password is checked for it meanwhile.
        using var locked = AuthFixtures.ClientFrom(IPAddress.Parse("127.0.0.1"), server.Url);
        locked.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
        using var refused = await locked.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        // Logged once when the series starts and once at the lockout, with the address; never a secret.
        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Equal([1101, 1102], warnings.Select(w => w.Id.Id));
        Assert.Contains("127.0.0.1", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("wrong password for user 'alice'", warnings[0].Message, StringComparison.Ordinal);
        var logged = string.Join('\n', logs.Entries.Select(e => e.Message));
        foreach (var secret in AuthFixtures.Secrets())
        {
            Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
        }
    }
}
