using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Plugins;
using RclonePool.Plugins;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>Plugins written in the test, created directly (the loading from plugins_dir is the integration tests' part).</summary>
internal static class TestPlugins
{
    public static PluginGuard Guard(string id = "test:plugin", double seconds = 1) => new(id, TimeSpan.FromSeconds(seconds), NullLogger.Instance);

    public static BlockTransform Transform(ITransformerPlugin plugin) => new(plugin, Guard("transformer:test"), NullLogger.Instance);

    /// <summary>XOR with a byte that depends on the position in the object: round-trips from any offset.</summary>
    public sealed class OffsetXor : ITransformerPlugin
    {
        public int Calls;

        public PluginMetadata Metadata { get; } = new("offset_xor", "1.0.0", "tests", "XOR by position.", PluginType.Transformer);

        public void Encode(Span<byte> data, long offset)
        {
            Interlocked.Increment(ref Calls);
            for (var i = 0; i < data.Length; i++)
            {
                data[i] ^= (byte)((offset + i) * 31 % 251);
            }
        }

        public void Decode(Span<byte> data, long offset) => Encode(data, offset);
    }

    /// <summary>A balancer that answers what <see cref="Answer"/> says (or throws it, when it is an exception).</summary>
    public sealed class Scripted(Func<IReadOnlyList<RemoteCandidate>, string> answer) : IBalancerPlugin
    {
        public int Calls;

        public PluginMetadata Metadata { get; } = new("scripted", "1.0.0", "tests", "Answers as told.", PluginType.Balancer);

        public string SelectRemote(IReadOnlyList<RemoteCandidate> remotes, long chunkSize)
        {
            Interlocked.Increment(ref Calls);
            return answer(remotes);
        }
    }
}
