using Microsoft.Extensions.Logging;
using RclonePool.Core.Chunking;
using RclonePool.Core.Config;
using RclonePool.Core.Events;
using RclonePool.Core.Placement;
using RclonePool.Core.Remotes;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// What plugins and <c>event_commands</c> add to one open pool, as the pool builder asks for it: the storage-backend
/// plugins serving <c>plugin=NAME</c> remotes, the block codecs (compression, encryption and transformer plugins beside
/// built-in zstd, applied per chunk and recorded in each manifest: <see cref="Codecs"/>), the balancer plugin in front
/// of the configured strategy, the chunker plugin choosing chunk sizes, the event handlers and commands on the event
/// bus. With <c>enable_plugins</c> off no plugin code loads; <c>event_commands</c> run either way. The pool owns it and
/// disposes it first when it closes (queued events are handed out, then the plugins unload).
/// </summary>
public sealed class PoolPlugins : IAsyncDisposable
{
    private static readonly PluginType[] Wired =
        [PluginType.Balancer, PluginType.EventHandler, PluginType.Transformer, PluginType.Compression, PluginType.Encryption, PluginType.Chunker, PluginType.StorageBackend];

    private readonly PoolConfig _config;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private PluginEventHandlers? _handlers;
    private EventCommands? _commands;

    private PoolPlugins(PoolConfig config, PluginCatalog? catalog, ILogger logger)
    {
        _config = config;
        Catalog = catalog;
        _logger = logger;
        _timeout = TimeSpan.FromSeconds(config.PluginTimeout);
        Codecs = BuildCodecs();
    }

    /// <summary>The plugins loaded, or null with <c>enable_plugins</c> off.</summary>
    public PluginCatalog? Catalog { get; }

    /// <summary>The balancer plugin in use, when one is enabled.</summary>
    public PluginBalancer? Balancer { get; private set; }

    /// <summary>The block codecs new chunks are written with and stored chunks are read with (built-in zstd and the codec plugins).</summary>
    public BlockCodecs Codecs { get; }

    /// <summary>The transformer in use, when one is enabled.</summary>
    public BlockTransform? Transform => Codecs.Transform;

    /// <summary>The chunker plugin in use, when one is enabled and chunking is fixed.</summary>
    public PluginChunker? Chunker { get; private set; }

    /// <summary>The store of each <c>plugin=NAME</c> remote (after <see cref="WrapTransport"/>); empty when the pool has none.</summary>
    public IReadOnlyDictionary<string, IRemoteStore> StorageBackends { get; private set; } = new Dictionary<string, IRemoteStore>();

    /// <summary>Loads the plugins the config enables (none unless <c>enable_plugins</c>).</summary>
    public static PoolPlugins Load(PoolConfig config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        var catalog = config.EnablePlugins ? PluginCatalog.Load(PluginCatalogOptions.FromConfig(config), logger) : null;
        foreach (var plugin in catalog?.Plugins.Where(p => p.Enabled) ?? [])
        {
            if (Wired.Contains(plugin.Metadata.Type))
            {
                PluginLog.InUse(logger, plugin.Id.ToString(), plugin.Metadata.Version, plugin.Path);
            }
            else
            {
                PluginLog.NotWired(logger, plugin.Id.ToString());
            }
        }

        return new PoolPlugins(config, catalog, logger);
    }

    /// <summary>
    /// The transport the pool uses, with the <c>plugin=NAME</c> remotes routed to their storage-backend plugins. No
    /// plugin wraps the bytes: the transformer is a stage of the block codecs (<see cref="Codecs"/>), applied to the
    /// chunks whose manifest records it.
    /// </summary>
    public IRemoteStore WrapTransport(IRemoteStore transport) => RouteStorageBackends(transport);

    /// <summary>The enabled balancer plugin, falling back to <paramref name="configured"/>; or <paramref name="configured"/> itself.</summary>
    public IBalancer WrapBalancer(IBalancer configured)
    {
        if (Catalog?.Enabled<IBalancerPlugin>(PluginType.Balancer).FirstOrDefault() is not ({ } plugin, { } balancer))
        {
            return configured;
        }

        Balancer = new PluginBalancer(balancer, new PluginGuard(plugin.Id.ToString(), _timeout, _logger), configured);
        return Balancer;
    }

    /// <summary>The enabled chunker plugin choosing each file's chunk size over <paramref name="configured"/>; null when none is enabled or chunking is cdc (logged).</summary>
    public PluginChunker? UseChunker(ChunkingPolicy configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (Catalog?.Enabled<IChunkerPlugin>(PluginType.Chunker).FirstOrDefault() is not ({ } plugin, { } chunker))
        {
            return null;
        }

        if (configured.IsContentDefined)
        {
            PluginLog.ChunkerNotAsked(_logger, plugin.Id.ToString());
            return null;
        }

        Chunker = new PluginChunker(chunker, new PluginGuard(plugin.Id.ToString(), _timeout, _logger), configured);
        return Chunker;
    }

    private BlockCodecs BuildCodecs()
    {
        PluginGuard GuardOf(LoadedPlugin plugin) => new(plugin.Id.ToString(), _timeout, _logger);
        var compression = Catalog?.Enabled<ICompressionPlugin>(PluginType.Compression).Select(p => PluginBlockCodec.For(p.Instance, p.Plugin.Metadata, GuardOf(p.Plugin), _logger)).FirstOrDefault();
        var encryption = Catalog?.Enabled<IEncryptionPlugin>(PluginType.Encryption).Select(p => PluginBlockCodec.For(p.Instance, p.Plugin.Metadata, GuardOf(p.Plugin), _logger)).FirstOrDefault();
        var transform = Catalog?.Enabled<ITransformerPlugin>(PluginType.Transformer).Select(p => new BlockTransform(p.Instance, GuardOf(p.Plugin), _logger)).FirstOrDefault();
        return new BlockCodecs(_config, Catalog, compression, encryption, transform);
    }

    /// <summary>Subscribes the enabled event handlers and the <c>event_commands</c> to <paramref name="events"/>.</summary>
    public void Attach(PoolEventBus events)
    {
        var handlers = Catalog?.Enabled<IEventHandlerPlugin>(PluginType.EventHandler)
            .Select(p => (p.Instance, new PluginGuard(p.Plugin.Id.ToString(), _timeout, _logger))).ToList() ?? [];
        if (handlers.Count > 0)
        {
            _handlers = new PluginEventHandlers(events, handlers, _logger);
        }

        _commands = EventCommands.FromConfig(_config, events, _logger);
    }

    /// <summary>The transport with the <c>plugin=NAME</c> remotes routed to their plugins; the transport itself when there are none.</summary>
    private IRemoteStore RouteStorageBackends(IRemoteStore transport)
    {
        var remotes = _config.Remotes.Where(StorageBackendRemote.IsPluginRemote).ToList();
        if (remotes.Count == 0)
        {
            return transport;
        }

        var stores = new Dictionary<string, IRemoteStore>(StringComparer.Ordinal);
        foreach (var remote in remotes)
        {
            var name = StorageBackendRemote.PluginName(remote);
            if (Catalog?.Enabled<IStorageBackendPlugin>(PluginType.StorageBackend).FirstOrDefault(p => p.Plugin.Metadata.Name == name) is ({ } plugin, { } backend))
            {
                stores[remote] = new StorageBackendStore(remote, backend, new PluginGuard(plugin.Id.ToString(), _timeout, _logger));
                PluginLog.StorageBackendServes(_logger, remote, plugin.Id.ToString());
            }
            else
            {
                var reason = StorageBackendErrors.WhyNotLoaded(remote, Catalog);
                PluginLog.StorageBackendMissing(_logger, remote, reason);
                stores[remote] = new MissingStorageBackend(remote, reason);
            }
        }

        StorageBackends = stores;
        return new StorageBackendRouter(transport, stores);
    }

    public async ValueTask DisposeAsync()
    {
        if (_commands is not null)
        {
            await _commands.DisposeAsync();
        }

        if (_handlers is not null)
        {
            await _handlers.DisposeAsync();
        }

        Catalog?.Dispose();
    }
}
