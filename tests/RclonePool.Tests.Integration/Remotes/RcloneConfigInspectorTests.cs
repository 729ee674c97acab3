using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>What <c>rclonepool init</c> learns about the user's rclone config, from a config file of the test's own.</summary>
public sealed class RcloneConfigInspectorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rclonepool-inspector-").FullName;
    private readonly RcloneConfigInspector _inspector;

    public RcloneConfigInspectorTests()
    {
        var config = Path.Combine(_root, "rclone.conf");
        File.WriteAllText(config, $"[alpha]\ntype = local\n\n[beta-2]\ntype = alias\nremote = {_root}/beta\n\n[gone]\ntype = webdav\nurl = http://127.0.0.1:9/\n");
        _inspector = new RcloneConfigInspector(new RcloneOptions
        {
            Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = config },
            Flags = ["--low-level-retries", "1", "--contimeout", "2s"],
        });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_the_remotes_of_the_config_rclone_uses()
    {
        Assert.Equal(["alpha:", "beta-2:", "gone:"], await _inspector.ListRemotesAsync(Ct));
    }

    [Fact]
    public async Task Defined_remotes_local_paths_and_connection_strings_are_known()
    {
        Assert.True(await _inspector.IsDefinedAsync("alpha:" + _root, Ct));
        Assert.True(await _inspector.IsDefinedAsync("beta-2:", Ct));
        Assert.True(await _inspector.IsDefinedAsync(_root, Ct));
        Assert.True(await _inspector.IsDefinedAsync(":local:" + _root, Ct));
        Assert.False(await _inspector.IsDefinedAsync("nosuch:", Ct));
    }

    [Fact]
    public async Task A_reachable_remote_passes_the_check_even_before_its_root_exists()
    {
        var check = await _inspector.CheckAsync("beta-2:not/yet/created", Ct);

        Assert.True(check.IsUsable, check.Error?.Message);
    }

    [Fact]
    public async Task An_undefined_remote_fails_the_check_with_what_to_do()
    {
        var check = await _inspector.CheckAsync("nosuch:", Ct);

        Assert.False(check.IsDefined);
        Assert.Equal(PoolErrorKind.BadInput, check.Error?.Kind);
        Assert.Contains("rclone config", check.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_remote_fails_the_check_as_transient()
    {
        var check = await _inspector.CheckAsync("gone:", Ct);

        Assert.True(check.IsDefined);
        Assert.False(check.IsReachable);
        Assert.Equal(PoolErrorKind.Transient, check.Error?.Kind);
        Assert.Contains("gone:", check.Error!.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
