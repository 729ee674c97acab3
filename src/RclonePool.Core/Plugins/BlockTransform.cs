using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// A transformer plugin as the block codecs apply it (the last stage of a chunk's blocks, <see cref="BlockCodecChain"/>): every call guarded, and trusted only after a round trip on the first
/// block it sees (encode then decode of a copy gives the block back, or, for a first read, decode then encode gives the
/// stored bytes back). A transformer that fails the check is never used in this process; one that fails after it was
/// trusted fails the chunk it was working on (data half transformed must not be stored or served as good).
/// Thread-safe.
/// </summary>
public sealed class BlockTransform(ITransformerPlugin plugin, PluginGuard guard, ILogger logger)
{
    private const int Unchecked = 0;
    private const int Trusted = 1;
    private const int Refused = 2;

    private int _state;

    public string Id => guard.Id;

    /// <summary>True unless the round-trip check failed: objects pass through the plugin.</summary>
    public bool IsActive => Volatile.Read(ref _state) != Refused;

    /// <summary>Encodes <paramref name="data"/> (an object's bytes from <paramref name="offset"/>) in place; false when the plugin is not used (the data is unchanged).</summary>
    public bool Encode(Span<byte> data, long offset) => Apply(data, offset, encode: true);

    /// <summary>Decodes <paramref name="data"/> (stored bytes from <paramref name="offset"/>) in place; false when the plugin is not used.</summary>
    public bool Decode(Span<byte> data, long offset) => Apply(data, offset, encode: false);

    private bool Apply(Span<byte> data, long offset, bool encode)
    {
        if (data.IsEmpty || !IsActive)
        {
            return IsActive;
        }

        if (Volatile.Read(ref _state) == Unchecked && !Check(data, offset, encode))
        {
            return false;
        }

        var buffer = data.ToArray();
        var consequence = "the object it was working on is not " + (encode ? "stored" : "read");
        if (!guard.TryInvoke(() => { Run(buffer, offset, encode); return true; }, consequence, out _))
        {
            throw new PoolException(PoolErrorKind.Environment,
                $"Transformer plugin {guard.Id} failed on a block{(guard.IsDisabled ? " and is disabled" : string.Empty)}; the data it stores cannot be written or read without it. Fix the plugin (see the log), then run the command again.");
        }

        buffer.CopyTo(data);
        return true;
    }

    private bool Check(ReadOnlySpan<byte> data, long offset, bool encode)
    {
        var original = data.ToArray();
        var trial = data.ToArray();
        var ok = guard.TryInvoke(
            () =>
            {
                Run(trial, offset, encode);
                Run(trial, offset, !encode);
                return trial.AsSpan().SequenceEqual(original);
            },
            "it is not trusted",
            out var roundTrips);
        if (ok && roundTrips)
        {
            Interlocked.CompareExchange(ref _state, Trusted, Unchecked);
            return true;
        }

        Volatile.Write(ref _state, Refused);
        PluginLog.TransformerRefused(logger, guard.Id, ok
            ? $"{(encode ? "decoding its encoding" : "encoding its decoding")} of the first block ({original.Length} bytes) does not give that block back"
            : "it failed on the first block");
        return false;
    }

    private void Run(byte[] buffer, long offset, bool encode)
    {
        if (encode)
        {
            plugin.Encode(buffer, offset);
        }
        else
        {
            plugin.Decode(buffer, offset);
        }
    }
}
