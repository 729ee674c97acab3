using Microsoft.Extensions.Logging;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Support;
using RclonePool.Tests.Integration.WebDav;

namespace RclonePool.Tests.Integration.Auth;

/// <summary>litmus with credentials (<c>litmus URL USER PASS</c>) against the real pool behind basic authentication: every case passes.</summary>
public sealed class LitmusAuthTests
{
    [Theory]
    [InlineData("basic")]
    [InlineData("copymove")]
    [InlineData("locks")]
    [InlineData("http")]
    public async Task Litmus_with_basic_credentials_passes_every_case(string group)
    {
        var litmus = Tools.Require("litmus");
        await using var pool = await RealPool.OpenAsync();
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        await using var server = await PoolServer.StartAsync(pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, Authenticator = authenticator }, null, TestContext.Current.CancellationToken);
        var work = Directory.CreateTempSubdirectory("litmus-auth-" + group + "-");
        try
        {
            var (exit, stdout, stderr) = await Tools.RunAsync(
                litmus, ["-k", server.Url.ToString(), AuthFixtures.User, AuthFixtures.Password], work.FullName,
                new Dictionary<string, string> { ["TESTS"] = group }, TimeSpan.FromSeconds(90));
            var run = LitmusRun.Parse(group, exit, stdout + stderr);
            var notPassed = run.Cases.Where(c => c.Outcome != "pass").Select(c => $"{c.Number}. {c.Name}: {c.Detail}").ToList();
            Assert.True(run.Cases.Count > 3 && notPassed.Count == 0 && exit == 0, $"litmus {group} with credentials:\n{run.Output}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
