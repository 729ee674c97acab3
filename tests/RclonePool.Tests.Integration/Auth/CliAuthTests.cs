using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Auth;

/// <summary>The real CLI: user and key commands write hashes only; serve asks for them, and refuses to serve beyond loopback without them.</summary>
public sealed class CliAuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Twice(string password) => Encoding.UTF8.GetBytes(password + "\n" + password + "\n");

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task User_commands_keep_only_password_hashes_in_a_private_config()
    {
        await using var pool = await LocalPool.CreateAsync();

        var added = await pool.RunWithInputAsync(Twice(AuthFixtures.Password), "user", "add", "alice");
        Assert.True(added.ExitCode == 0, added.ToString());
        var again = await pool.RunWithInputAsync(Twice("other"), "user", "add", "alice");
        var differ = await pool.RunWithInputAsync(Encoding.UTF8.GetBytes("one\ntwo\n"), "user", "passwd", "alice");
        var hashBefore = Users(pool)["alice"]!.GetValue<string>();
        var changed = await pool.RunWithInputAsync(Twice("new-password"), "user", "passwd", "alice");
        await pool.RunWithInputAsync(Twice("bob-pw"), "user", "add", "bob");
        var listed = await pool.OkAsync("user", "list");
        var removed = await pool.OkAsync("user", "remove", "bob");
        var missing = await pool.RunAsync("user", "remove", "bob");

        Assert.Equal(4, again.ExitCode);
        Assert.Contains("user passwd alice", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, differ.ExitCode);
        Assert.Contains("differ", differ.StdErr, StringComparison.Ordinal);
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.NotEqual(hashBefore, Users(pool)["alice"]!.GetValue<string>());
        Assert.StartsWith("pbkdf2-sha256$600000$", hashBefore, StringComparison.Ordinal);
        Assert.Equal("alice\nbob\n", listed.StdOut);
        Assert.Contains("'bob' removed", removed.StdOut, StringComparison.Ordinal);
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal(["alice"], Users(pool).Select(u => u.Key));
        var text = await File.ReadAllTextAsync(pool.ConfigPath, Ct);
        Assert.DoesNotContain(AuthFixtures.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("new-password", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pool.ConfigPath));
        foreach (var result in new[] { added, again, differ, changed, listed, removed, missing })
        {
            Assert.DoesNotContain(AuthFixtures.Password, result.StdOut + result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_is_printed_once_and_only_its_hash_is_kept()
    {
        await using var pool = await LocalPool.CreateAsync();

        var created = await pool.OkAsync("key", "create", "ci");
        var duplicate = await pool.RunAsync("key", "create", "ci");
        var listed = await pool.OkAsync("key", "list");
        var key = created.StdOut.Trim();
        var text = await File.ReadAllTextAsync(pool.ConfigPath, Ct);

        Assert.StartsWith("rcp_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.Contains("\"webdav_api_keys\"", text, StringComparison.Ordinal);
        Assert.Equal(4, duplicate.ExitCode);
        Assert.Equal("ci\n", listed.StdOut);
        Assert.DoesNotContain(key, listed.StdOut + duplicate.StdErr, StringComparison.Ordinal);

        await pool.OkAsync("key", "revoke", "ci");
        Assert.Equal(string.Empty, (await pool.OkAsync("key", "list")).StdOut);
    }

    [Fact]
    public async Task Serve_beyond_loopback_without_authentication_refuses_to_start_and_says_how_to_fix_it()
    {
        await using var pool = await LocalPool.CreateAsync();

        var refused = await pool.RunAsync("serve", "--host", "0.0.0.0", "--port", "0");
        var noUsers = await pool.RunAsync("serve", "--auth", "basic", "--port", "0");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("--insecure-no-auth", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("rclonepool user add NAME", refused.StdErr, StringComparison.Ordinal);
        Assert.True(noUsers.ExitCode == 2, noUsers.ToString());
        Assert.Contains("rclonepool user add NAME", noUsers.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_basic_auth_lets_in_the_right_password_only_and_logs_no_secret()
    {
        await using var pool = await LocalPool.CreateAsync();
        Assert.Equal(0, (await pool.RunWithInputAsync(Twice(AuthFixtures.Password), "user", "add", "alice")).ExitCode);
        await using var serve = CliProcess.Start(["--config", pool.ConfigPath, "serve", "--auth", "basic", "--port", "0"], new Dictionary<string, string>());
        var line = await serve.WaitForLineAsync(l => l.StartsWith("serve: WebDAV on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = new Uri(line["serve: WebDAV on ".Length..].Split(' ')[0]);
        using var client = new HttpClient { BaseAddress = url };

        using var none = await client.GetAsync("/", Ct);
        using var wrong = await client.SendAsync(Request(AuthFixtures.WrongPassword), Ct);
        using var right = await client.SendAsync(Request(AuthFixtures.Password), Ct);
        using var health = await client.GetAsync("/healthz", Ct);
        var (exit, stderr) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.MultiStatus, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, exit);
        var everything = string.Join('\n', serve.Lines) + stderr;
        Assert.Contains("Authentication failed from 127.0.0.1: wrong password for user 'alice'", everything, StringComparison.Ordinal);
        Assert.Contains("serve: authentication: basic", everything, StringComparison.Ordinal);
        foreach (var secret in AuthFixtures.Secrets().Append(Users(pool)["alice"]!.GetValue<string>()))
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    private static HttpRequestMessage Request(string password)
    {
        var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/");
        request.Headers.TryAddWithoutValidation("Authorization", AuthFixtures.Basic(AuthFixtures.User, password));
        request.Headers.TryAddWithoutValidation("Depth", "0");
        return request;
    }

    private static JsonObject Users(LocalPool pool) =>
        JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!["webdav_users"]!.AsObject();
}
