using RclonePool.Core.Errors;
using RclonePool.Core.Plugins;
using RclonePool.Core.Remotes;
using RclonePool.Plugins;
using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>A transformer changes chunk objects only, keeps their length, and reads back from any offset.</summary>
public sealed class TransformingRemoteStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chunk_objects_are_stored_transformed_and_every_range_reads_back()
    {
        var memory = new InMemoryRemoteStore("r:");
        var store = new TransformingRemoteStore(memory, TestPlugins.Transform(new TestPlugins.OffsetXor()), "rclonepool_data");
        var data = new byte[100_000];
        new Random(1).NextBytes(data);
        var chunk = new RemotePath("r:", "rclonepool_data/ab/chunk1");

        await store.WriteAsync(chunk, new MemoryStream(data), data.Length, Ct);

        Assert.Equal(data.Length, memory.Objects["r:rclonepool_data/ab/chunk1"].Length);
        Assert.NotEqual(data, memory.Objects["r:rclonepool_data/ab/chunk1"]);
        foreach (var (offset, count) in new[] { (0L, -1L), (1L, 10L), (4095L, 8193L), (99_999L, 1L) })
        {
            await using var read = await store.OpenReadAsync(chunk, offset, count, Ct);
            var back = new MemoryStream();
            await read.CopyToAsync(back, Ct);
            Assert.Equal(data.AsSpan((int)offset, count < 0 ? data.Length : (int)count).ToArray(), back.ToArray());
        }
    }

    [Fact]
    public async Task Manifests_and_descriptors_pass_untouched()
    {
        var memory = new InMemoryRemoteStore("r:");
        var plugin = new TestPlugins.OffsetXor();
        var store = new TransformingRemoteStore(memory, TestPlugins.Transform(plugin), "rclonepool_data");

        await store.WriteBytesAsync(new RemotePath("r:", "rclonepool_manifests/m.json"), "{}"u8.ToArray(), Ct);
        await store.WriteManyAsync(new RemotePath("r:", "rclonepool_manifests/d"), [new NamedBytes("x", new byte[] { 1, 2 })], Ct);

        Assert.Equal("{}"u8.ToArray(), memory.Objects["r:rclonepool_manifests/m.json"]);
        Assert.Equal([1, 2], memory.Objects["r:rclonepool_manifests/d/x"]);
        Assert.Equal(0, plugin.Calls);
    }

    [Fact]
    public async Task A_transform_that_does_not_round_trip_is_never_trusted_and_data_passes_as_it_is()
    {
        var memory = new InMemoryRemoteStore("r:");
        var transform = TestPlugins.Transform(new Lossy());
        var store = new TransformingRemoteStore(memory, transform, "rclonepool_data");
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(i % 255 + 1)).ToArray();

        await store.WriteAsync(new RemotePath("r:", "rclonepool_data/c"), new MemoryStream(data), data.Length, Ct);

        Assert.False(transform.IsActive);
        Assert.Equal(data, memory.Objects["r:rclonepool_data/c"]);
    }

    [Fact]
    public async Task A_trusted_transform_that_fails_later_fails_the_object_instead_of_storing_it_half_transformed()
    {
        var memory = new InMemoryRemoteStore("r:");
        var plugin = new FailsAfter(calls: 1);
        var store = new TransformingRemoteStore(memory, TestPlugins.Transform(plugin), "rclonepool_data");

        await store.WriteAsync(new RemotePath("r:", "rclonepool_data/ok"), new MemoryStream(new byte[10]), 10, Ct);
        var failure = await Assert.ThrowsAsync<PoolException>(() =>
            store.WriteAsync(new RemotePath("r:", "rclonepool_data/bad"), new MemoryStream(new byte[10]), 10, Ct));

        Assert.Contains("Transformer plugin transformer:test failed on a block", failure.Message, StringComparison.Ordinal);
        Assert.False(memory.Objects.ContainsKey("r:rclonepool_data/bad"));
    }

    private sealed class Lossy : ITransformerPlugin
    {
        public PluginMetadata Metadata { get; } = new("lossy", "1.0.0", "tests", "Loses data.", PluginType.Transformer);

        public void Encode(Span<byte> data, long offset) => data.Clear();

        public void Decode(Span<byte> data, long offset)
        {
        }
    }

    private sealed class FailsAfter(int calls) : ITransformerPlugin
    {
        private int _calls;

        public PluginMetadata Metadata { get; } = new("fails", "1.0.0", "tests", "Fails after a while.", PluginType.Transformer);

        public void Encode(Span<byte> data, long offset)
        {
            if (Interlocked.Increment(ref _calls) > calls + 1)
            {
                throw new InvalidOperationException("worn out");
            }
        }

        public void Decode(Span<byte> data, long offset)
        {
        }
    }
}
