using RclonePool.Core.Chunking;
using RclonePool.Core.Plugins;
using RclonePool.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>The chunk size a chunker plugin answers is used only when it is valid; otherwise chunk_size, and the failure counts.</summary>
public sealed class PluginChunkerTests
{
    private const long ChunkSize = 1024 * 1024;
    private static readonly ChunkingPolicy Configured = ChunkingPolicy.FixedSize(ChunkSize);

    [Fact]
    public void A_valid_answer_cuts_the_file_at_that_size_with_the_pools_block_size()
    {
        var plugin = new Answering((size, configured) => size > 10 * configured ? 4 * configured : configured);
        var chunker = new PluginChunker(plugin, TestPlugins.Guard("chunker:test"), Configured);

        var large = chunker.For(100 * ChunkSize);
        var small = chunker.For(ChunkSize);

        Assert.Equal(4 * ChunkSize, large.MaxChunkSize);
        Assert.Equal(Configured.BlockSize, large.BlockSize);
        Assert.Equal([4 * ChunkSize, 4 * ChunkSize, 2 * ChunkSize], large.EstimatedChunkLengths(10 * ChunkSize));
        Assert.Same(Configured, small);
        Assert.Equal([(100 * ChunkSize, ChunkSize), (ChunkSize, ChunkSize)], plugin.Asked);
    }

    [Theory]
    [InlineData(0L, "which is not positive")]
    [InlineData(-5L, "which is not positive")]
    [InlineData(1024L, "outside 4KiB to 4GiB")]
    [InlineData(8L * 1024 * 1024 * 1024, "outside 4KiB to 4GiB")]
    [InlineData((256L * 1024) + 1, "not a multiple of the hash block size 262144")]
    public void A_wrong_answer_falls_back_to_chunk_size_and_counts_as_a_failure(long answer, string why)
    {
        var chunker = new PluginChunker(new Answering((_, _) => answer), TestPlugins.Guard("chunker:test"), Configured);

        Assert.Contains(why, PluginChunker.Problem(answer, Configured.BlockSize), StringComparison.Ordinal);
        Assert.Same(Configured, chunker.For(5 * ChunkSize));
        Assert.False(chunker.Guard.IsDisabled);
        Assert.Same(Configured, chunker.For(5 * ChunkSize));
        Assert.Same(Configured, chunker.For(5 * ChunkSize));
        Assert.True(chunker.Guard.IsDisabled);
    }

    [Fact]
    public void A_plugin_that_throws_falls_back_and_once_disabled_is_not_asked_again()
    {
        var plugin = new Answering((_, _) => throw new InvalidOperationException("broken"));
        var chunker = new PluginChunker(plugin, TestPlugins.Guard("chunker:test"), Configured);

        for (var i = 0; i < 5; i++)
        {
            Assert.Same(Configured, chunker.For(-1));
        }

        Assert.True(chunker.Guard.IsDisabled);
        Assert.Equal(3, plugin.Asked.Count);
    }

    [Fact]
    public void Streams_of_unknown_length_are_asked_with_minus_one()
    {
        var plugin = new Answering((size, configured) => size < 0 ? 2 * configured : configured);
        var chunker = new PluginChunker(plugin, TestPlugins.Guard("chunker:test"), Configured);

        Assert.Equal(2 * ChunkSize, chunker.For(-1).MaxChunkSize);
    }

    private sealed class Answering(Func<long, long, long> answer) : IChunkerPlugin
    {
        public List<(long FileSize, long ChunkSize)> Asked { get; } = [];

        public PluginMetadata Metadata { get; } = new("answering", "1.0.0", "tests", "Answers as told.", PluginType.Chunker);

        public long ChunkSize(long fileSize, long chunkSize)
        {
            lock (Asked)
            {
                Asked.Add((fileSize, chunkSize));
            }

            return answer(fileSize, chunkSize);
        }
    }
}
