namespace RclonePool.Core.Config;

/// <summary>The rule that chose the config file, in order of precedence.</summary>
public enum ConfigSource
{
    /// <summary>The command line's --config FILE.</summary>
    Argument,

    /// <summary>The RCLONEPOOL_CONFIG environment variable.</summary>
    EnvironmentVariable,

    /// <summary>$XDG_CONFIG_HOME/rclonepool/config.json, or ~/.config/rclonepool/config.json.</summary>
    Default,
}
