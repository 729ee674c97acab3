using RclonePool.Core.Chunking;

namespace RclonePool.Core.Config;

/// <summary>Checks of <c>chunking</c> and the three <c>cdc_*</c> sizes.</summary>
public static partial class ConfigValidator
{
    private static void CheckContentDefinedChunking(PoolConfig config, List<ConfigProblem> problems)
    {
        OneOf(problems, "chunking", config.Chunking, ChunkingPolicy.Names);
        var inRange = true;
        foreach (var (key, value) in new[] { ("cdc_min_chunk_size", config.CdcMinChunkSize), ("cdc_avg_chunk_size", config.CdcAvgChunkSize), ("cdc_max_chunk_size", config.CdcMaxChunkSize) })
        {
            if (value is < MinChunkSize or > MaxChunkSize)
            {
                inRange = false;
                var shown = value < 0 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{value} ({SizeParser.Format(value)})";
                problems.Add(new(key, $"{key} is {shown}; it must be between {SizeParser.Format(MinChunkSize)} ({MinChunkSize}) and {SizeParser.Format(MaxChunkSize)} ({MaxChunkSize}) bytes."));
            }
        }

        if (inRange && CdcSizes.Problem(config.CdcMinChunkSize, config.CdcAvgChunkSize, config.CdcMaxChunkSize) is { } problem)
        {
            problems.Add(new(problem.Key, problem.Message));
        }

        if (config.Chunking == ChunkingPolicy.ContentDefined && !config.EnableDeduplication)
        {
            problems.Add(new("chunking",
                "chunking is \"cdc\" but enable_deduplication is false; content-defined chunks pay only when identical chunks are stored once, so set enable_deduplication to true as well, or keep chunking \"fixed\"."));
        }
    }
}
