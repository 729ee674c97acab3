using System.Collections.Concurrent;
using ZstdSharp;

namespace RclonePool.Core.Compression;

/// <summary>
/// Idle zstd contexts of one set of parameters, kept for reuse. A new context allocates and clears its match tables on
/// its first frame, which costs more than compressing a small input; a reused one starts every frame afresh
/// (<c>ZSTD_compress2</c> resets the session and keeps the parameters), so its frames are the bytes a new context makes.
/// At most <c>kept</c> idle contexts are held; one more given back is disposed.
/// </summary>
/// <param name="create">Makes a context with this pool's parameters.</param>
/// <param name="kept">Idle contexts kept at most: about as many as compress at once.</param>
public sealed class CompressorPool(Func<Compressor> create, int kept)
{
    private readonly ConcurrentBag<Compressor> _idle = [];

    /// <summary>A context for one thread at a time; give it back with <see cref="Return"/> once its frame ended.</summary>
    public Compressor Rent() => _idle.TryTake(out var compressor) ? compressor : create();

    /// <summary>
    /// Keeps <paramref name="compressor"/> for the next frame, or disposes it when enough are kept. Only a context that
    /// ended its frame may come back: dispose a failed one instead, so that no half frame starts the next.
    /// </summary>
    public void Return(Compressor compressor)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        if (_idle.Count < kept)
        {
            _idle.Add(compressor);
        }
        else
        {
            compressor.Dispose();
        }
    }
}
