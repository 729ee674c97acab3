namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>The low and high nibbles of a loaded vector, each in the low half of its byte, ready for PSHUFB.</summary>
internal readonly struct NibblePair<TVector>(TVector low, TVector high)
    where TVector : struct
{
    public TVector Low { get; } = low;

    public TVector High { get; } = high;
}
