using System.Text;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>With use_crypt, data and manifests go through rclone crypt remotes: nothing readable reaches the providers.</summary>
public sealed class CliCryptTests
{
    [Fact]
    public async Task Nothing_readable_reaches_the_remote_directories_and_round_trips_still_work()
    {
        await using var pool = await LocalPool.CreateAsync(init: false);
        var environment = await CryptRemotes.WrapAsync(pool, "correct horse battery staple");

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

}
