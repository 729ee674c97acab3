using Microsoft.Extensions.Logging;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Auth;

/// <summary>rclone as a WebDAV client of the real pool with basic authentication and with a bearer token.</summary>
public sealed class RcloneAuthClientTests : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("rclone-auth-");
    private RealPool _pool = null!;
    private string _rclone = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _rclone = Tools.Require("rclone");
        _pool = await RealPool.OpenAsync(chunkSize: 1 << 20);
        Directory.CreateDirectory(Path.Combine(_work.FullName, "src"));
        var bytes = new byte[(2 << 20) + 17];
        new Random(14).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(_work.FullName, "src", "a.bin"), bytes, Ct);
        await File.WriteAllTextAsync(Path.Combine(_work.FullName, "rclone.conf"), string.Empty, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Rclone_with_basic_auth_copies_and_reads_back_and_a_wrong_password_is_refused()
    {
        await using var server = await StartAsync(AuthMethod.Basic);
        var obscured = (await RcloneAsync(0, "obscure", AuthFixtures.Password)).Trim();
        var wrong = (await RcloneAsync(0, "obscure", AuthFixtures.WrongPassword)).Trim();
        var remote = $":webdav,url='{server.Url}',vendor=other,user={AuthFixtures.User},pass={obscured}:";

        await RoundTripAsync(remote);
        var refused = await RcloneAsync(-1, "lsf", $":webdav,url='{server.Url}',vendor=other,user={AuthFixtures.User},pass={wrong}:");
        Assert.Contains("401", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rclone_with_a_bearer_token_copies_and_reads_back_and_another_token_is_refused()
    {
        await using var server = await StartAsync(AuthMethod.Bearer);
        var remote = $":webdav,url='{server.Url}',vendor=other,bearer_token='{AuthFixtures.Key}':";

        await RoundTripAsync(remote);
        var refused = await RcloneAsync(-1, "lsf", $":webdav,url='{server.Url}',vendor=other,bearer_token='{ApiKey.Generate()}':");
        Assert.Contains("401", refused, StringComparison.Ordinal);
    }

    private async Task RoundTripAsync(string remote)
    {
        await RcloneAsync(0, "copy", Path.Combine(_work.FullName, "src"), remote + "in");
        Assert.Equal("a.bin\n", await RcloneAsync(0, "lsf", remote + "in"));
        var back = Path.Combine(_work.FullName, "back");
        await RcloneAsync(0, "copy", remote + "in", back);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(_work.FullName, "src", "a.bin"), Ct),
            await File.ReadAllBytesAsync(Path.Combine(back, "a.bin"), Ct));
        Directory.Delete(back, recursive: true);
        await RcloneAsync(0, "purge", remote + "in");
    }

    private Task<RunningServer> StartAsync(AuthMethod method)
    {
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = method, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        return PoolServer.StartAsync(_pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, Authenticator = authenticator }, null, Ct);
    }

    /// <summary>Runs rclone; <paramref name="expectedExit"/> 0 must succeed (stdout returned), -1 must fail (stderr returned).</summary>
    private async Task<string> RcloneAsync(int expectedExit, params string[] arguments)
    {
        string[] common = ["--config", Path.Combine(_work.FullName, "rclone.conf"), "--low-level-retries", "1", "--retries", "1"];
        var (exit, stdout, stderr) = await Tools.RunAsync(_rclone, arguments[0] == "obscure" ? arguments : [.. common, .. arguments], _work.FullName);
        if (expectedExit == 0)
        {
            Assert.True(exit == 0, $"rclone {arguments[0]} exited {exit}:\n{stderr}");
            return stdout;
        }

        Assert.True(exit != 0, $"rclone {arguments[0]} should have failed:\n{stdout}");
        return stderr;
    }
}
