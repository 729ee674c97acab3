using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// A compression or an encryption plugin as the block codec chain applies it: one block in, its encoded bytes out (the
/// length may change), every call guarded (<see cref="PluginGuard"/>), and trusted only after a round trip on the first
/// block it is given (encoding then decoding a copy gives the block back). The two plugin types differ only in their
/// method names and in what a failure means, so they share this one class. Thread-safe.
/// </summary>
public sealed class PluginBlockCodec
{
    private const int Unchecked = 0;
    private const int Trusted = 1;
    private const int Refused = 2;

    private readonly Func<byte[], byte[]> _encode;
    private readonly Func<byte[], int, byte[]> _decode;
    private readonly ILogger _logger;
    private int _state;

    private PluginBlockCodec(PluginMetadata metadata, PluginGuard guard, Func<byte[], byte[]> encode, Func<byte[], int, byte[]> decode, ILogger logger)
    {
        Metadata = metadata;
        Guard = guard;
        _encode = encode;
        _decode = decode;
        _logger = logger;
    }

    public PluginMetadata Metadata { get; }

    public PluginGuard Guard { get; }

    /// <summary>"compression:lz4": what a chunk's codec names it by.</summary>
    public string Id => Metadata.Id;

    /// <summary>"Compression plugin compression:lz4" in messages.</summary>
    public string Title => $"{(Metadata.Type == PluginType.Encryption ? "Encryption" : "Compression")} plugin {Id}";

    /// <summary>False once the round-trip check failed or the guard disabled the plugin: new blocks do not pass through it.</summary>
    public bool IsUsable => Volatile.Read(ref _state) != Refused && !Guard.IsDisabled;

    public static PluginBlockCodec For(ICompressionPlugin plugin, PluginMetadata metadata, PluginGuard guard, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        return new(metadata, guard, block => plugin.Compress(block), (stored, length) => plugin.Decompress(stored, length), logger);
    }

    public static PluginBlockCodec For(IEncryptionPlugin plugin, PluginMetadata metadata, PluginGuard guard, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        return new(metadata, guard, block => plugin.Encrypt(block), (stored, _) => plugin.Decrypt(stored), logger);
    }

    /// <summary>
    /// The encoded form of <paramref name="block"/>; null when the plugin is not used for it (refused by the round-trip
    /// check, disabled, or failed on this block: logged). The caller decides what null means: compression stores the
    /// block as it is, encryption refuses to store it.
    /// </summary>
    public byte[]? TryEncode(ReadOnlySpan<byte> block)
    {
        if (!IsUsable)
        {
            return null;
        }

        var input = block.ToArray();
        var limit = block.Length + ChunkCodec.MaxBlockGrowth;
        if (Volatile.Read(ref _state) == Unchecked)
        {
            return Check(input, limit);
        }

        return Guard.TryInvoke(() => _encode(input), "the block is stored without it", out var encoded, e => Wrong(e, limit)) ? encoded : null;
    }

    /// <summary>The block of <paramref name="plainLength"/> bytes that <paramref name="stored"/> came from; an Environment error naming the plugin when it fails.</summary>
    public byte[] Decode(ReadOnlySpan<byte> stored, int plainLength, string what)
    {
        var input = stored.ToArray();
        if (!Guard.TryInvoke(() => _decode(input, plainLength), $"{what} is not read", out var plain, p => p is null ? "it returned null" : null))
        {
            throw new PoolException(PoolErrorKind.Environment,
                $"{Title} failed to decode {what}{(Guard.IsDisabled ? " and is disabled" : string.Empty)}; nothing of it was served. Fix the plugin (see the log), then read it again.");
        }

        return plain;
    }

    private byte[]? Check(byte[] input, int limit)
    {
        var ok = Guard.TryInvoke(
            () =>
            {
                var encoded = _encode(input);
                if (Wrong(encoded, limit) is not null)
                {
                    return (encoded, false);
                }

                var back = _decode(encoded.ToArray(), input.Length);
                return (encoded, back is not null && back.AsSpan().SequenceEqual(input));
            },
            "it is not trusted",
            out var trial);
        if (ok && trial.Item2)
        {
            Interlocked.CompareExchange(ref _state, Trusted, Unchecked);
            return trial.Item1;
        }

        Volatile.Write(ref _state, Refused);
        PluginLog.CodecRefused(_logger, Title, ok
            ? $"decoding its encoding of the first block ({input.Length} bytes) does not give that block back"
            : "it failed on the first block");
        return null;
    }

    private static string? Wrong(byte[]? encoded, int limit) =>
        encoded is null ? "it returned null"
        : encoded.Length == 0 || encoded.Length > limit ? $"it returned {encoded.Length} bytes for a block of {limit - ChunkCodec.MaxBlockGrowth}"
        : null;
}
