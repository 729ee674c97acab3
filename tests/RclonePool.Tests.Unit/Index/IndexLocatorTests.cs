using RclonePool.Core.Config;
using RclonePool.Core.Pool;

namespace RclonePool.Tests.Unit.Index;

/// <summary>
/// <see cref="IndexLocator"/>: the index a config's remotes named when last opened, found without the remotes; nothing
/// for another list of remotes, a missing index file, PostgreSQL or the cache turned off.
/// </summary>
public sealed class IndexLocatorTests : IDisposable
{
    private const string PoolId = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_remembered_pool_s_index_is_found_once_it_exists()
    {
        var config = Config("a:", "b:");
        IndexLocator.Remember(config, PoolId);
        Assert.Null(IndexLocator.TryLocate(config)); // no index file yet

        File.WriteAllBytes(_temp.File($"{PoolId}.sqlite"), []);

        Assert.Equal(_temp.File($"{PoolId}.sqlite"), IndexLocator.TryLocate(config));
    }

    [Fact]
    public void Another_list_of_remotes_or_another_order_finds_nothing()
    {
        File.WriteAllBytes(_temp.File($"{PoolId}.sqlite"), []);
        IndexLocator.Remember(Config("a:", "b:"), PoolId);

        Assert.Null(IndexLocator.TryLocate(Config("a:", "b:", "c:")));
        Assert.Null(IndexLocator.TryLocate(Config("b:", "a:")));
    }

    [Fact]
    public void A_new_pool_on_the_same_remotes_replaces_the_record()
    {
        const string newer = "fedcba9876543210fedcba9876543210";
        File.WriteAllBytes(_temp.File($"{PoolId}.sqlite"), []);
        File.WriteAllBytes(_temp.File($"{newer}.sqlite"), []);
        var config = Config("a:", "b:");

        IndexLocator.Remember(config, PoolId);
        IndexLocator.Remember(config, newer);

        Assert.Equal(_temp.File($"{newer}.sqlite"), IndexLocator.TryLocate(config));
        Assert.Single(Directory.GetFiles(_temp.Path, "*.pool-id"));
    }

    [Fact]
    public void Nothing_is_remembered_for_postgresql_or_without_the_manifest_cache()
    {
        File.WriteAllBytes(_temp.File($"{PoolId}.sqlite"), []);
        var postgres = Config("a:");
        postgres.IndexBackend = "postgresql";
        var uncached = Config("a:");
        uncached.EnableManifestCache = false;

        IndexLocator.Remember(postgres, PoolId);
        IndexLocator.Remember(uncached, PoolId);

        Assert.Empty(Directory.GetFiles(_temp.Path, "*.pool-id"));
        Assert.Null(IndexLocator.TryLocate(postgres));
        Assert.Null(IndexLocator.TryLocate(uncached));
    }

    [Fact]
    public void A_record_that_does_not_name_a_pool_is_ignored()
    {
        var config = Config("a:");
        IndexLocator.Remember(config, PoolId);
        var record = Assert.Single(Directory.GetFiles(_temp.Path, "*.pool-id"));
        File.WriteAllText(record, "../../etc/passwd\n");

        Assert.Null(IndexLocator.TryLocate(config));
    }

    private PoolConfig Config(params string[] remotes) => new() { Remotes = [.. remotes], ManifestCacheDir = _temp.Path };
}
