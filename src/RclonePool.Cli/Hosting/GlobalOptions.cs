using System.CommandLine;

namespace RclonePool.Cli.Hosting;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static Option<string?> Config { get; } = new("--config")
    {
        Description = "Config file to use (default: $RCLONEPOOL_CONFIG, else ~/.config/rclonepool/config.json).",
        Recursive = true,
        HelpName = "FILE",
    };

    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log what happens (per file and per chunk) and show stack traces of errors.",
        Recursive = true,
    };

    public static Option<bool> NoProgress { get; } = new("--no-progress")
    {
        Description = "Do not show progress (the config key show_progress does the same).",
        Recursive = true,
    };

    public static Option<double?> BandwidthLimitUpload { get; } = new("--bwlimit-up")
    {
        Description = "Upload limit to the remotes in megabits per second (10^6 bits), for this command; overrides bandwidth_limit_upload_mbps. 0 is unlimited.",
        Recursive = true,
        HelpName = "MBIT/S",
    };

    public static Option<double?> BandwidthLimitDownload { get; } = new("--bwlimit-down")
    {
        Description = "Download limit from the remotes in megabits per second (10^6 bits), for this command; overrides bandwidth_limit_download_mbps. 0 is unlimited.",
        Recursive = true,
        HelpName = "MBIT/S",
    };

    public static Option<string?> User { get; } = new("--user")
    {
        Description = "Act on the pool of this user of the config's users section (docs/multi-user.md): its own config, held to its quota_bytes and quota_files (exit code 7 past them).",
        Recursive = true,
        HelpName = "NAME",
    };
}
