using RclonePool.Core.Chunking;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Tests.Unit.Config;

namespace RclonePool.Tests.Unit.Chunking;

/// <summary>The chunking key and the three cdc_* sizes: read in the size forms of chunk_size, and refused with a clear sentence when they do not fit.</summary>
public sealed class CdcConfigTests
{
    private static PoolConfig Parse(string json) => ConfigLoader.Parse(json, "test.json", TestEnvironment.Default);

    private static string Refused(string json) => Assert.Throws<PoolException>(() => ConfigValidator.EnsureValid(Parse(json), "test.json")).Message;

    [Fact]
    public void Cdc_sizes_take_the_size_forms_of_chunk_size()
    {
        var config = Parse("""{ "remotes": ["a:"], "enable_deduplication": true, "chunking": "cdc", "cdc_min_chunk_size": "512K", "cdc_avg_chunk_size": "2MiB", "cdc_max_chunk_size": 8388608 }""");

        var policy = ChunkingPolicy.For(config);
        Assert.True(policy.IsContentDefined);
        Assert.Equal((512L * 1024, 2L << 20, 8L << 20), (policy.Cdc!.Min, policy.Cdc.Avg, policy.Cdc.Max));
        Assert.Equal(8L << 20, policy.MaxChunkSize);
    }

    [Fact]
    public void Defaults_are_fixed_chunks_and_valid_cdc_sizes()
    {
        var config = Parse("""{ "remotes": ["a:"] }""");
        Assert.False(ChunkingPolicy.For(config).IsContentDefined);
        Assert.Equal((1L << 20, 4L << 20, 16L << 20), (config.CdcMinChunkSize, config.CdcAvgChunkSize, config.CdcMaxChunkSize));
    }

    [Theory]
    [InlineData("""
        "chunking": "rabin"
        """, "chunking is \"rabin\"; it must be one of fixed, cdc.")]
    [InlineData("""
        "cdc_avg_chunk_size": "3M"
        """, "cdc_avg_chunk_size is 3145728 (3MiB); it must be a power of two such as 2MiB or 4MiB, because a cut is tested with a mask of log2(average) bits.")]
    [InlineData("""
        "cdc_min_chunk_size": "8M"
        """, "the CDC sizes contradict each other: cdc_min_chunk_size is 8388608 (8MiB), cdc_avg_chunk_size 4194304 (4MiB) and cdc_max_chunk_size 16777216 (16MiB); they must satisfy min <= avg <= max (for example 1M, 4M, 16M).")]
    [InlineData("""
        "cdc_max_chunk_size": "2M"
        """, "the CDC sizes contradict each other: cdc_min_chunk_size is 1048576 (1MiB), cdc_avg_chunk_size 4194304 (4MiB) and cdc_max_chunk_size 2097152 (2MiB); they must satisfy min <= avg <= max (for example 1M, 4M, 16M).")]
    [InlineData("""
        "cdc_min_chunk_size": "4M", "cdc_max_chunk_size": "4M"
        """, "cdc_min_chunk_size and cdc_max_chunk_size are both 4194304 (4MiB), so every chunk would have that size and none would be content-defined; widen the range (for example min = avg / 4, max = 4 x avg) or use chunking \"fixed\".")]
    [InlineData("""
        "cdc_min_chunk_size": 100
        """, "cdc_min_chunk_size is 100 (100B); it must be between 4KiB (4096) and 4GiB (4294967296) bytes.")]
    public void Sizes_that_do_not_fit_are_refused_with_the_key_and_what_to_do(string keys, string message) =>
        Assert.Contains(message, Refused($$"""{ "remotes": ["a:"], "enable_deduplication": true, "chunking": "cdc", {{keys}} }""".Replace("\"chunking\": \"cdc\", \"chunking\"", "\"chunking\"", StringComparison.Ordinal)));

    [Fact]
    public void Cdc_without_deduplication_is_refused_because_it_would_only_cost_time() =>
        Assert.Contains("chunking is \"cdc\" but enable_deduplication is false", Refused("""{ "remotes": ["a:"], "chunking": "cdc" }"""));
}
