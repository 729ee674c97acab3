namespace RclonePool.Core.Config;

/// <summary>Where the config file is, and which rule chose it (for messages such as "from RCLONEPOOL_CONFIG").</summary>
/// <param name="Path">The absolute path of the config file; it may not exist.</param>
/// <param name="Source">The rule that chose <paramref name="Path"/>.</param>
public sealed record ConfigLocation(string Path, ConfigSource Source)
{
    /// <summary>"/home/u/.config/rclonepool/config.json (the default location)", for messages.</summary>
    public string Describe() => Source switch
    {
        ConfigSource.Argument => $"{Path} (given by --config)",
        ConfigSource.EnvironmentVariable => $"{Path} (given by {ConfigLoader.PathVariable})",
        _ => $"{Path} (the default location)",
    };
}
