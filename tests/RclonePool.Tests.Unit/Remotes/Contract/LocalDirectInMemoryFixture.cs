using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;

namespace RclonePool.Tests.Unit.Remotes.Contract;

/// <summary><see cref="LocalDirectStore"/> around the in-memory store (not a local backend: every call passes through).</summary>
public sealed class LocalDirectInMemoryFixture : InMemoryStoreFixture
{
    protected override IRemoteStore Decorate(IRemoteStore memory) => new LocalDirectStore(memory);
}
