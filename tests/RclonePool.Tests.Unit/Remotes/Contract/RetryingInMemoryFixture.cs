using RclonePool.Core.Config;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="RetryingRemoteStore"/> around the in-memory store.</summary>
public sealed class RetryingInMemoryFixture : InMemoryStoreFixture
{
    protected override IRemoteStore Decorate(IRemoteStore memory) =>
        new RetryingRemoteStore(memory, Retries(), RetryPipelines.CreateCircuitBreaker(new PoolConfig { Remotes = ["mem:"] }));
}
