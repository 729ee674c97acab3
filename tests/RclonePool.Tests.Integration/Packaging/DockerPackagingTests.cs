using System.Text.Json;
using RclonePool.Server;
using RclonePool.Server.Tls;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Packaging;

/// <summary>
/// What of the container can be tested without building it (no registry is reachable here, so the base images cannot
/// be pulled): the entry point script, the health check script against real servers, the compose file, and the
/// Dockerfile's promises (non-root user, volumes, HEALTHCHECK, rclone from Debian).
/// </summary>
public sealed class DockerPackagingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("docker-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [InlineData("", "0", "serve --host 0.0.0.0 --port 8080")]
    [InlineData("serve --https", "0", "serve --host 0.0.0.0 --port 8080 --https")]
    [InlineData("serve", "1", "serve --host 0.0.0.0 --port 8080 --insecure-no-auth")]
    [InlineData("user add alice", "0", "user add alice")]
    [InlineData("key create ci", "1", "key create ci")]
    public async Task The_entry_point_serves_on_every_address_and_passes_other_commands_through(string arguments, string insecure, string expected)
    {
        var echo = Path.Combine(_dir.FullName, "echo-args");
        await File.WriteAllTextAsync(echo, "#!/bin/sh\necho \"$*\"\n", Ct);
        File.SetUnixFileMode(echo, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exit, stdout, stderr) = await Tools.RunAsync(Repository.File("packaging", "docker", "entrypoint.sh"),
            arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), _dir.FullName,
            new Dictionary<string, string> { ["RCLONEPOOL_BIN"] = echo, ["RCLONEPOOL_INSECURE_NO_AUTH"] = insecure, ["RCLONEPOOL_PORT"] = "8080" });

        Assert.True(exit == 0, stderr);
        Assert.Equal(expected, stdout.Trim());
    }

    [Fact]
    public async Task The_entry_point_with_the_real_cli_refuses_to_serve_without_authentication()
    {
        await using var pool = await LocalPool.CreateAsync();
        var (exit, _, stderr) = await Tools.RunAsync(Repository.File("packaging", "docker", "entrypoint.sh"), ["serve", "--config", pool.ConfigPath], _dir.FullName,
            new Dictionary<string, string> { ["RCLONEPOOL_BIN"] = Path.Combine(AppContext.BaseDirectory, "rclonepool"), ["RCLONEPOOL_PORT"] = "0" });

        Assert.Equal(2, exit);
        Assert.Contains("Refusing to serve on '0.0.0.0' without authentication", stderr, StringComparison.Ordinal);
        Assert.Contains("--insecure-no-auth", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_check_passes_against_http_and_https_servers_and_fails_when_nothing_answers()
    {
        Tools.Require("curl");
        var script = Repository.File("packaging", "docker", "healthcheck.sh");
        var (cert, key, _) = SelfSignedCertificate.Ensure(_dir.FullName);
        await using var http = await ServerUnderTest.StartAsync();
        await using var https = await ServerUnderTest.StartAsync(new ServerOptions { Https = CertificateFiles.Open(cert, key) });
        int closedPort;
        await using (var closed = await ServerUnderTest.StartAsync())
        {
            closedPort = closed.Url.Port;
        }

        Assert.Equal(0, (await RunHealthCheckAsync(script, http.Url.Port)).ExitCode);
        Assert.Equal(0, (await RunHealthCheckAsync(script, https.Url.Port)).ExitCode);
        Assert.Equal(1, (await RunHealthCheckAsync(script, closedPort)).ExitCode);
    }

    [Fact]
    public async Task The_compose_file_parses_and_names_the_volumes_port_and_health_check()
    {
        var python = Tools.Require("python3");
        const string ToJson = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
        var (exit, stdout, stderr) = await Tools.RunAsync(python, ["-c", ToJson, Repository.File("docker-compose.yml")]);
        Assert.True(exit == 0, $"docker-compose.yml does not parse as YAML (python3-yaml is needed: apt-get install python3-yaml):\n{stderr}");

        var service = JsonDocument.Parse(stdout).RootElement.GetProperty("services").GetProperty("rclonepool");
        var volumes = service.GetProperty("volumes").EnumerateArray().Select(v => v.GetString()!.Split(':')[1]).ToList();
        Assert.Equal(["/home/rclonepool/.config/rclonepool", "/home/rclonepool/.config/rclone", "/home/rclonepool/.cache/rclonepool"], volumes);
        Assert.Equal("8080:8080", service.GetProperty("ports")[0].GetString());
        Assert.Equal("/usr/local/bin/rclonepool-healthcheck", service.GetProperty("healthcheck").GetProperty("test")[1].GetString());
    }

    [Fact]
    public void The_dockerfile_builds_in_stages_runs_as_a_user_and_checks_health()
    {
        var text = File.ReadAllText(Repository.File("Dockerfile"));
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("apt-get install -y --no-install-recommends rclone", text, StringComparison.Ordinal);
        Assert.Contains("USER rclonepool", text, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", text, StringComparison.Ordinal);
        Assert.Contains("VOLUME [\"/home/rclonepool/.config/rclonepool\", \"/home/rclonepool/.config/rclone\", \"/home/rclonepool/.cache/rclonepool\"]", text, StringComparison.Ordinal);
        Assert.Contains("COPY packaging/docker/entrypoint.sh", text, StringComparison.Ordinal);
        Assert.Contains("COPY packaging/docker/healthcheck.sh", text, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunHealthCheckAsync(string script, int port) =>
        await Tools.RunAsync(script, [], _dir.FullName, new Dictionary<string, string> { ["RCLONEPOOL_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
