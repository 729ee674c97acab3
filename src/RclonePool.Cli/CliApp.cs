using System.CommandLine;

namespace RclonePool.Cli;

/// <summary>Builds the command tree and maps failures to exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("rclonepool: pool many rclone remotes into one chunked, verified storage space.");
        return await root.Parse(args).InvokeAsync();
    }
}
