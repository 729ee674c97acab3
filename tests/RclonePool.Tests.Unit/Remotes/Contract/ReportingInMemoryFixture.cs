using RclonePool.Core.Events;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="ReportingRemoteStore"/> around the in-memory store.</summary>
public sealed class ReportingInMemoryFixture : InMemoryStoreFixture
{
    protected override IRemoteStore Decorate(IRemoteStore memory) => new ReportingRemoteStore(memory, new PoolEventBus());
}
