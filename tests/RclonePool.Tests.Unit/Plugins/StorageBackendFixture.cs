using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Plugins;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>The in-memory plugin as <c>plugin=mem</c>, routed beside an in-memory transport holding <c>mem:</c>.</summary>
public sealed class StorageBackendFixture : IRemoteStoreUnderTest
{
    public StorageBackendFixture()
    {
        var plugin = new StorageBackendStore(Remote, new MemoryStorageBackend(), new PluginGuard("storage_backend:mem", TimeSpan.FromSeconds(10), NullLogger.Instance));
        Transport = plugin;
        Store = new StorageBackendRouter(new InMemoryRemoteStore("mem:"), new Dictionary<string, IRemoteStore> { [Remote] = plugin });
    }

    public IRemoteStore Store { get; }

    public IRemoteStore Transport { get; }

    public string Remote => "plugin=mem";

    public bool ReportsSpace => false;

    public string? LocalDirectory => null;
}
