using RclonePool.Core.Index;
using RclonePool.Core.Paths;
using RclonePool.Tests.Support.Index;
using static RclonePool.Tests.Support.Index.TestManifests;

namespace RclonePool.Tests.Unit.Index;

/// <summary>What the SQLite index does beyond <see cref="PoolIndexContract"/> (see <see cref="SqlitePoolIndexContractTests"/>).</summary>
public sealed class SqlitePoolIndexTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SqlitePoolIndex _index = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        Assert.Empty(await _index.CheckConsistencyAsync(CancellationToken.None));
        await _index.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_replaced_index_opens_again_as_it_was_not_recreated()
    {
        await _index.ReplaceAllAsync([FileManifest("/new/1.txt", Id(2))], Ct);

        await _index.DisposeAsync();
        _index = await SqlitePoolIndex.OpenAsync(_temp.File("pool.sqlite"), cancellationToken: Ct);

        Assert.True(await _index.IsPopulatedAsync(Ct));
        Assert.Null(_index.RecreatedBecause);
        Assert.NotNull(await _index.GetAsync(PoolPath.Parse("/new/1.txt"), Ct));
    }
}
