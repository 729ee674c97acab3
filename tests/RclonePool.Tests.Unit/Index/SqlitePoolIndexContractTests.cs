using RclonePool.Core.Index;
using RclonePool.Tests.Support.Index;

namespace RclonePool.Tests.Unit.Index;

/// <summary><see cref="PoolIndexContract"/> for <see cref="SqlitePoolIndex"/>: a database file in a temporary directory, checked for consistency after each test.</summary>
public sealed class SqlitePoolIndexContractTests : PoolIndexContract
{
    private readonly TempDirectory _temp = new();

    private string File => _temp.File("pool.sqlite");

    protected override async ValueTask<IPoolIndex> CreateAsync(CancellationToken cancellationToken) => await SqlitePoolIndex.OpenAsync(File, cancellationToken: cancellationToken);

    protected override async ValueTask<IPoolIndex> OpenAgainAsync(CancellationToken cancellationToken) => await SqlitePoolIndex.OpenAsync(File, cancellationToken: cancellationToken);

    protected override async ValueTask CheckAsync(IPoolIndex index) => Assert.Empty(await ((SqlitePoolIndex)index).CheckConsistencyAsync(CancellationToken.None));

    protected override ValueTask CleanUpAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
