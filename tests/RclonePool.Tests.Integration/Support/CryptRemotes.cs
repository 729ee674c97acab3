using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace RclonePool.Tests.Integration.Support;

/// <summary>Puts an rclone crypt remote over each remote of a <see cref="LocalPool"/> and points the pool at them (use_crypt).</summary>
internal static class CryptRemotes
{
    /// <summary>
    /// Writes an rclone config with <c>crypt0:</c> … over the pool's remotes (their <c>encrypted</c> folders, one
    /// password), sets <c>use_crypt</c> and <c>crypt_remotes</c> in the pool's config, lets <paramref name="configure"/>
    /// change more keys, and returns the environment the CLI needs to find that rclone config.
    /// </summary>
    public static async Task<Dictionary<string, string>> WrapAsync(LocalPool pool, string password, Action<JsonObject>? configure = null)
    {
        var rcloneConfig = Path.Combine(pool.Root, "rclone.conf");
        var obscured = await ObscureAsync(password);
        var sections = new StringBuilder();
        var crypts = new JsonArray();
        for (var i = 0; i < pool.Remotes.Count; i++)
        {
            sections.Append($"[crypt{i}]\ntype = crypt\nremote = {pool.Remotes[i]}/encrypted\npassword = {obscured}\n\n");
            crypts.Add($"crypt{i}:");
        }

        await File.WriteAllTextAsync(rcloneConfig, sections.ToString());
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath))!.AsObject();
        config["use_crypt"] = true;
        config["crypt_remotes"] = crypts;
        configure?.Invoke(config);
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
        return new Dictionary<string, string> { ["RCLONE_CONFIG"] = rcloneConfig };
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
