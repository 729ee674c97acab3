using System.Reflection;
using RclonePool.Core.Events;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;
using RclonePool.Core.Resilience;

namespace RclonePool.Tests.Unit.Remotes;

/// <summary>Optional store abilities (<see cref="IRemoteStoreCapability"/>) survive every decorator and have a fallback.</summary>
public sealed class RemoteStoreCapabilityTests
{
    private static readonly Assembly Core = typeof(IRemoteStore).Assembly;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every store in Core that wraps another (a constructor taking an <see cref="IRemoteStore"/>).</summary>
    public static TheoryData<string> Decorators() =>
        [.. Core.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRemoteStore).IsAssignableFrom(t))
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IRemoteStore))))
            .Select(t => t.FullName!)];

    private static IEnumerable<Type> Capabilities() =>
        Core.GetTypes().Where(t => t.IsInterface && t != typeof(IRemoteStoreCapability) && typeof(IRemoteStoreCapability).IsAssignableFrom(t));

    [Fact]
    public void The_decorators_are_found()
    {
        Assert.Superset(
            new HashSet<string>([typeof(RetryingRemoteStore).FullName!, typeof(ReportingRemoteStore).FullName!, typeof(LocalDirectStore).FullName!]),
            new HashSet<string>(Decorators().Select(row => row.Data)));
        Assert.Superset(new HashSet<Type>([typeof(IBatchedWrites), typeof(ILocalDirectoryLookup), typeof(IRemoteHashes)]), new HashSet<Type>(Capabilities()));
    }

    [Theory]
    [MemberData(nameof(Decorators))]
    public void A_decorator_offers_every_capability(string decorator)
    {
        var type = Core.GetType(decorator, throwOnError: true)!;

        Assert.Empty(Capabilities().Where(c => !c.IsAssignableFrom(type)).Select(c => c.Name));
    }

    public static TheoryData<string> Wrappers() => ["retrying", "reporting", "local direct"];

    [Theory]
    [MemberData(nameof(Wrappers))]
    public async Task A_decorator_hands_each_capability_to_the_store_it_wraps(string wrapper)
    {
        var inner = new CapableStore();
        var store = Wrap(wrapper, inner);

        await store.WriteManyAsync(new RemotePath("mem:", "m"), [new NamedBytes("a", new byte[] { 1 }), new NamedBytes("b", new byte[] { 2 })], Ct);

        Assert.Equal(1, inner.Batches);
        Assert.Equal(2, inner.Memory.Writes);
        Assert.Equal(CapableStore.Directory, await store.LocalDirectoryAsync("disk:", Ct));
        Assert.Equal(["md5"], await store.HashTypesAsync("mem:", Ct));

        Assert.Equal("0123abcd", await store.HashAsync(new RemotePath("mem:", "m/a"), "md5", Ct));
    }

    [Theory]
    [MemberData(nameof(Wrappers))]
    public async Task Around_a_store_without_the_capabilities_a_decorator_falls_back(string wrapper)
    {
        var memory = new InMemoryRemoteStore("mem:");
        var store = Wrap(wrapper, memory);

        await store.WriteManyAsync(new RemotePath("mem:", "m"), [new NamedBytes("a", new byte[] { 1 }), new NamedBytes("b", new byte[] { 2 })], Ct);

        Assert.Equal(2, memory.Writes);
        Assert.Equal([1], memory.Objects["mem:m/a"]);
        Assert.Null(await store.LocalDirectoryAsync("mem:", Ct));
        Assert.Empty(await store.HashTypesAsync("mem:", Ct));
        Assert.Null(await store.HashAsync(new RemotePath("mem:", "m/a"), "md5", Ct));
    }

    private static IRemoteStore Wrap(string wrapper, IRemoteStore inner) => wrapper switch
    {
        "retrying" => new RetryingRemoteStore(inner, Polly.ResiliencePipeline.Empty),
        "reporting" => new ReportingRemoteStore(inner, new PoolEventBus()),
        "local direct" => new LocalDirectStore(inner),
        _ => throw new ArgumentOutOfRangeException(nameof(wrapper), wrapper, "no such decorator"),
    };

    /// <summary>An in-memory store that has every capability: batched writes (counted), "disk:" as a local remote, md5 hashes.</summary>
    private sealed class CapableStore : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes
    {
        public const string Directory = "/nonexistent/rclonepool-capability-test";

        public InMemoryRemoteStore Memory { get; } = new("mem:", "disk:");

        public int Batches { get; private set; }

        public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
        {
            Batches++;
            foreach (var item in objects)
            {
                await Memory.WriteBytesAsync(directory.Child(item.Name), item.Bytes, cancellationToken);
            }
        }

        public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) =>
            Task.FromResult(remote == "disk:" ? Directory : null);

        public Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(["md5"]);

        public Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken) =>
            Task.FromResult<string?>("0123abcd");

        public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) => Memory.WriteAsync(target, content, length, cancellationToken);

        public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) => Memory.OpenReadAsync(source, offset, count, cancellationToken);

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => Memory.ListAsync(directory, recursive, cancellationToken);

        public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => Memory.StatAsync(path, cancellationToken);

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => Memory.DeleteAsync(path, cancellationToken);

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => Memory.MoveAsync(from, to, cancellationToken);

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => Memory.AboutAsync(remote, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
