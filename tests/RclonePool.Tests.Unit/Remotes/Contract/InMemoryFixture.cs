using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary>The in-memory store alone.</summary>
public sealed class InMemoryFixture : InMemoryStoreFixture
{
    protected override IRemoteStore Decorate(IRemoteStore memory) => memory;
}
