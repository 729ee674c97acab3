using RclonePool.Core.Config;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// Changes the config file in place: loads and validates it, applies a change, validates again and writes it back
/// atomically with mode 0600 (<see cref="ConfigWriter"/>: keys at their defaults are left out, comments are not kept).
/// </summary>
internal static class ConfigEdit
{
    public static void Apply(CliContext context, Action<PoolConfig> change)
    {
        var location = context.ConfigLocation;
        var config = ConfigLoader.LoadFrom(location);
        change(config);
        ConfigWriter.Write(config, location.Path, overwrite: true);
    }
}
