using RclonePool.Core.Config;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary>An <see cref="InMemoryRemoteStore"/> (stamping objects with the current time, as a real remote does), decorated as a subclass says.</summary>
public abstract class InMemoryStoreFixture : IRemoteStoreUnderTest
{
    protected InMemoryStoreFixture()
    {
        var memory = new InMemoryRemoteStore(Remote) { Clock = () => DateTimeOffset.UtcNow };
        Transport = memory;
        Store = Decorate(memory);
    }

    public IRemoteStore Store { get; }

    public IRemoteStore Transport { get; }

    public string Remote => "mem:";

    public bool ReportsSpace => true;

    public string? LocalDirectory => null;

    protected abstract IRemoteStore Decorate(IRemoteStore memory);

    internal static Polly.ResiliencePipeline Retries() => RetryPipelines.Create(new PoolConfig { Remotes = ["mem:"], MaxRetries = 2, RetryDelay = 0.001 });
}
