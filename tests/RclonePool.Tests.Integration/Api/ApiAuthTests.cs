using System.Net;
using Microsoft.Extensions.Logging;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Auth;

namespace RclonePool.Tests.Integration.Api;

/// <summary>The API behind basic authentication: 401 without credentials, and each user sees only their own jobs.</summary>
public sealed class ApiAuthTests
{
    private const string Bob = "bob";
    private const string BobPassword = "bobs-other-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_credentials_get_401_and_another_users_job_is_404()
    {
        var store = new CredentialStore(
            new Dictionary<string, string> { [AuthFixtures.User] = AuthFixtures.PasswordHashValue, [Bob] = PasswordHash.Create(BobPassword) },
            new Dictionary<string, string>());
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = store }, LoggerFactory.Create(_ => { }));
        await using var api = await ApiServer.StartAsync(new ServerOptions { Authenticator = authenticator });

        using var anonymous = await api.Client.GetAsync("status", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());

        using var alice = new HttpClient { BaseAddress = api.Client.BaseAddress };
        alice.DefaultRequestHeaders.Authorization = ApiServer.Basic(AuthFixtures.User, AuthFixtures.Password);
        using var bob = new HttpClient { BaseAddress = api.Client.BaseAddress };
        bob.DefaultRequestHeaders.Authorization = ApiServer.Basic(Bob, BobPassword);

        using var status = await alice.GetAsync("status", Ct);
        Assert.True(status.StatusCode == HttpStatusCode.OK, await status.Content.ReadAsStringAsync(Ct));

        using var started = await alice.PostAsync("verify", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (string)(await ApiServer.JsonOf(started))["id"]!;
        var job = await api.WaitForJobAsync(id, alice);
        Assert.Equal("succeeded", (string?)job["state"]);

        await ApiServer.ProblemAsync(await bob.GetAsync($"jobs/{id}", Ct), 404);
        await ApiServer.ProblemAsync(await bob.DeleteAsync($"jobs/{id}", Ct), 404);
        Assert.DoesNotContain((await ApiServer.JsonOf(await bob.GetAsync("jobs", Ct))).AsArray(), j => (string?)j!["id"] == id);
        Assert.Contains((await ApiServer.JsonOf(await alice.GetAsync("jobs", Ct))).AsArray(), j => (string?)j!["id"] == id);
    }
}
