using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Remotes.Cli;
using RclonePool.Core.Remotes.Local;
using RclonePool.Core.Remotes.Rcd;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes;

/// <summary>Creates the <see cref="IRemoteStore"/> the configuration asks for.</summary>
public static class RemoteStoreFactory
{
    /// <summary>
    /// <c>enable_rclone_daemon: true</c> (the default): an <see cref="RcdRemoteStore"/> with its own supervised daemon;
    /// false: a <see cref="CliRemoteStore"/>; with <c>local_direct_reads</c> or <c>local_direct_writes</c> (both on by
    /// default) wrapped in a <see cref="LocalDirectStore"/>. When a remote needs rclone (anything but a local directory
    /// given as a path, or a storage-backend plugin), the daemon starts at once in the background, beside the opening of
    /// the pool, which reads its descriptors through it; otherwise nothing starts until the first call. Dispose the store
    /// to stop rclone.
    /// </summary>
    public static IRemoteStore Create(PoolConfig config, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var transport = Create(config.EnableRcloneDaemon, RcloneOptions.FromConfig(config), loggerFactory);
        if (transport is RcdRemoteStore rcd && NeedsRclone(config))
        {
            rcd.Daemon.StartInBackground();
        }

        return config.LocalDirectReads || config.LocalDirectWrites
            ? new LocalDirectStore(transport, new LocalDirectOptions(config.LocalDirectReads, config.LocalDirectWrites), loggerFactory?.CreateLogger<LocalDirectStore>())
            : transport;
    }

    /// <summary>True when some remote of <paramref name="config"/> is reached only through rclone.</summary>
    internal static bool NeedsRclone(PoolConfig config) =>
        config.UseCrypt || !(config.LocalDirectReads && config.LocalDirectWrites)
        || config.Remotes.Any(r => LocalDirectStore.AbsolutePath(r) is null && !StorageBackendRemote.IsPluginRemote(r));

    /// <summary>The daemon transport when <paramref name="useDaemon"/>, else the command-per-call transport.</summary>
    public static IRemoteStore Create(bool useDaemon, RcloneOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        RcloneArguments.EnsureNoRemoteControlFlags(options);
        return useDaemon ? new RcdRemoteStore(options, loggerFactory) : new CliRemoteStore(options, loggerFactory);
    }
}
