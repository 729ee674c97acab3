using RclonePool.Core.Chunking;
using RclonePool.Core.Config;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// A chunker plugin choosing the chunk size of each file uploaded with fixed chunking. Its answer is used when it is a
/// positive multiple of the pool's hash block size within the sizes <c>chunk_size</c> accepts; otherwise (a wrong answer,
/// an exception, a time-out, or the plugin disabled after repeated failures) the file is cut at the configured size, and
/// the failure counts in the plugin's guard. The manifest records each file's chunk size, so reads never ask.
/// </summary>
public sealed class PluginChunker(IChunkerPlugin plugin, PluginGuard guard, ChunkingPolicy configured)
{
    public PluginGuard Guard => guard;

    /// <summary>How to cut a file of <paramref name="fileSize"/> bytes (-1: unknown, a stream).</summary>
    public ChunkingPolicy For(long fileSize)
    {
        if (guard.IsDisabled)
        {
            return configured;
        }

        var chunkSize = configured.MaxChunkSize;
        var blockSize = configured.BlockSize;
        var consequence = $"the file is cut into chunks of chunk_size ({SizeParser.Format(chunkSize)})";
        if (!guard.TryInvoke(() => plugin.ChunkSize(fileSize, chunkSize), consequence, out var answer, a => Problem(a, blockSize)))
        {
            return configured;
        }

        return answer == chunkSize ? configured : ChunkingPolicy.FixedSize(answer, blockSize);
    }

    /// <summary>Why a chunk size answered is not usable (completing "… failed (…)"), or null when it is.</summary>
    public static string? Problem(long answer, int blockSize)
    {
        if (answer <= 0)
        {
            return $"it answered the chunk size {answer}, which is not positive";
        }

        if (answer is < ConfigValidator.MinChunkSize or > ConfigValidator.MaxChunkSize)
        {
            return $"it answered the chunk size {answer}, outside {SizeParser.Format(ConfigValidator.MinChunkSize)} to {SizeParser.Format(ConfigValidator.MaxChunkSize)}";
        }

        return answer % blockSize != 0
            ? $"it answered the chunk size {answer}, which is not a multiple of the hash block size {blockSize}"
            : null;
    }
}
