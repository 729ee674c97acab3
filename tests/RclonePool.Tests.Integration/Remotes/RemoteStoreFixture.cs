using RclonePool.Core.Config;
using RclonePool.Core.Events;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;
using RclonePool.Core.Remotes.Rcd;
using RclonePool.Core.Remotes.Rclone;
using RclonePool.Core.Resilience;
using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>
/// One transport over one kind of remote, shared by the tests of a conformance class. Everything lives under a
/// temporary directory, including an rclone config file passed as RCLONE_CONFIG (the user's config is never read).
/// </summary>
public abstract class RemoteStoreFixture : IAsyncLifetime, IRemoteStoreUnderTest
{
    private IRemoteStore? _store;
    private IRemoteStore? _transport;

    protected RemoteStoreFixture()
    {
        Root = Directory.CreateTempSubdirectory("rclonepool-remotes-").FullName;
        ConfigFile = Path.Combine(Root, "rclone.conf");
        File.WriteAllText(ConfigFile, "");
    }

    /// <summary>The temporary directory holding this fixture's remotes and config.</summary>
    public string Root { get; }

    public string ConfigFile { get; }

    /// <summary>The store shared by the class's tests.</summary>
    public IRemoteStore Store => _store ?? throw new InvalidOperationException("The fixture is not initialised.");

    public IRemoteStore Transport => _transport ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The remote the tests write to.</summary>
    public abstract string Remote { get; }

    /// <summary>The remote's directory when it is a local path (rclone's local backend), else null.</summary>
    public virtual string? LocalDirectory => null;

    /// <summary>True for the rcd transport, false for the command-per-call transport.</summary>
    public abstract bool UsesDaemon { get; }

    /// <summary>Whether this backend reports its space through about.</summary>
    public virtual bool ReportsSpace => true;

    /// <summary>The running daemon's pid (rcd transport), else null.</summary>
    public int? DaemonProcessId => (Store as RcdRemoteStore)?.Daemon.ProcessId;

    /// <summary>A new store of this fixture's kind; <paramref name="processStarted"/> sees the pid of every rclone it starts.</summary>
    public IRemoteStore CreateStore(Action<int>? processStarted = null, IReadOnlyList<string>? flags = null) =>
        CreateStore(out _, processStarted, flags);

    private IRemoteStore CreateStore(out IRemoteStore transport, Action<int>? processStarted = null, IReadOnlyList<string>? flags = null)
    {
        transport = RemoteStoreFactory.Create(UsesDaemon, Options(processStarted, flags));
        return Decorate(transport);
    }

    /// <summary>The decorators of this fixture around the transport (none unless a subclass says).</summary>
    protected virtual IRemoteStore Decorate(IRemoteStore transport) => ReadsLocalFilesDirectly ? new LocalDirectStore(transport) : transport;

    /// <summary>True when the store reads a local remote's files and writes its small objects itself (<see cref="LocalDirectStore"/>) and rclone does the rest.</summary>
    public virtual bool ReadsLocalFilesDirectly => false;

    public RcloneOptions Options(Action<int>? processStarted = null, IReadOnlyList<string>? flags = null) => new()
    {
        Flags = flags ?? [],
        Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = ConfigFile },
        ProcessStarted = processStarted,
    };

    public virtual ValueTask InitializeAsync()
    {
        _store = CreateStore(out _transport);
        return ValueTask.CompletedTask;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be releasing a file; the OS cleans temp eventually.
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>rclone rcd over a local directory.</summary>
public sealed class RcdLocalFixture : RemoteStoreFixture
{
    public override string Remote => Path.Combine(Root, "remote");

    public override string? LocalDirectory => Remote;

    public override bool UsesDaemon => true;
}

/// <summary>rclone rcd over a local directory, whose objects the store reads from the directory itself.</summary>
public sealed class DirectLocalFixture : RemoteStoreFixture
{
    public override string Remote => Path.Combine(Root, "remote");

    public override string? LocalDirectory => Remote;

    public override bool UsesDaemon => true;

    public override bool ReadsLocalFilesDirectly => true;
}

/// <summary>One rclone command per call over a local directory.</summary>
public sealed class CliLocalFixture : RemoteStoreFixture
{
    public override string Remote => Path.Combine(Root, "remote");

    public override string? LocalDirectory => Remote;

    public override bool UsesDaemon => false;
}

/// <summary>rclone rcd over a loopback <c>rclone serve webdav</c>, defined as remote "dav:" in the fixture's rclone config.</summary>
public sealed class RcdWebDavFixture : RemoteStoreFixture
{
    private WebDavServer? _server;

    public override string Remote => "dav:";

    public override bool UsesDaemon => true;

    public override bool ReportsSpace => false;

    public WebDavServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public override async ValueTask InitializeAsync()
    {
        _server = await WebDavServer.StartAsync(Path.Combine(Root, "served"), ConfigFile);
        await File.WriteAllTextAsync(ConfigFile, _server.ConfigSection("dav"));
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// The decorators the pool puts around its transport (retries, then error reporting, then direct local access: see
/// <c>StoragePool.Decorate</c> and <see cref="RemoteStoreFactory"/>) around rclone rcd over a local directory.
/// </summary>
public sealed class DecoratedRcdLocalFixture : RemoteStoreFixture
{
    public override string Remote => Path.Combine(Root, "remote");

    public override string? LocalDirectory => Remote;

    public override bool UsesDaemon => true;

    public override bool ReadsLocalFilesDirectly => true;

    protected override IRemoteStore Decorate(IRemoteStore transport) =>
        new RetryingRemoteStore(new ReportingRemoteStore(new LocalDirectStore(transport), new PoolEventBus()), Retries(), RetryPipelines.CreateCircuitBreaker(new PoolConfig { Remotes = ["x:"] }));

    internal static Polly.ResiliencePipeline Retries() => RetryPipelines.Create(new PoolConfig { Remotes = ["x:"], MaxRetries = 2, RetryDelay = 0.001 });
}

/// <summary>Error reporting around retries around one rclone command per call over a local directory.</summary>
public sealed class DecoratedCliLocalFixture : RemoteStoreFixture
{
    public override string Remote => Path.Combine(Root, "remote");

    public override string? LocalDirectory => Remote;

    public override bool UsesDaemon => false;

    protected override IRemoteStore Decorate(IRemoteStore transport) =>
        new ReportingRemoteStore(new RetryingRemoteStore(transport, DecoratedRcdLocalFixture.Retries()), new PoolEventBus());
}
