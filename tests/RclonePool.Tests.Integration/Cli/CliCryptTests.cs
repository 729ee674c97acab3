using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>With use_crypt, data and manifests go through rclone crypt remotes: nothing readable reaches the providers.</summary>
public sealed class CliCryptTests
{
    [Fact]
    public async Task Nothing_readable_reaches_the_remote_directories_and_round_trips_still_work()
    {
        await using var pool = await LocalPool.CreateAsync(init: false);
        var rcloneConfig = Path.Combine(pool.Root, "rclone.conf");
        var password = await ObscureAsync("correct horse battery staple");
        var sections = new StringBuilder();
        var crypts = new JsonArray();
        for (var i = 0; i < pool.Remotes.Count; i++)
        {
            sections.Append($"[crypt{i}]\ntype = crypt\nremote = {pool.Remotes[i]}/encrypted\npassword = {password}\n\n");
            crypts.Add($"crypt{i}:");
        }

        await File.WriteAllTextAsync(rcloneConfig, sections.ToString());
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath))!.AsObject();
        config["use_crypt"] = true;
        config["crypt_remotes"] = crypts;
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
        var environment = new Dictionary<string, string> { ["RCLONE_CONFIG"] = rcloneConfig };

        async Task<CliResult> RunAsync(params string[] args)
        {
            var result = await CliRunner.RunAsync(["--config", pool.ConfigPath, .. args], environment: environment);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
            return result;
        }

        await RunAsync("init");
        const string marker = "PLAINTEXT-MARKER-that-must-never-reach-a-provider ";
        var secret = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(marker, 20_000)));
        await File.WriteAllBytesAsync(pool.Local("secret.txt"), secret);
        await RunAsync("upload", pool.Local("secret.txt"), "/TopSecretFolder/quarterly-numbers.txt");

        Assert.Equal(secret, (await RunAsync("cat", "/TopSecretFolder/quarterly-numbers.txt")).StdOutBytes);
        await RunAsync("download", "/TopSecretFolder/quarterly-numbers.txt", pool.Local("back.txt"));
        Assert.Equal(secret, await File.ReadAllBytesAsync(pool.Local("back.txt")));

        var stored = Directory.EnumerateFiles(Path.Combine(pool.Root, "remotes"), "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(stored);
        foreach (var file in stored)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var text = Encoding.Latin1.GetString(bytes);
            Assert.DoesNotContain("PLAINTEXT-MARKER", text, StringComparison.Ordinal);
            Assert.DoesNotContain("TopSecretFolder", text, StringComparison.Ordinal);
            Assert.DoesNotContain("quarterly-numbers", text, StringComparison.Ordinal);
            Assert.DoesNotContain("rclonepool_", file, StringComparison.Ordinal);
        }
    }

    private static async Task<string> ObscureAsync(string secret)
    {
        var start = new ProcessStartInfo("rclone") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("obscure");
        start.ArgumentList.Add(secret);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}
