namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>Two consecutive vectors (or prepared inputs) handled as one step by <see cref="WideKernel{TKernel, TVector, TInput}"/>.</summary>
internal readonly struct VectorPair<T>(T first, T second)
    where T : struct
{
    public T First { get; } = first;

    public T Second { get; } = second;
}
