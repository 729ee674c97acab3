namespace RclonePool.Core.Redundancy.Codec.Kernels;

/// <summary>
/// One SIMD way to multiply a vector of bytes by a GF(2^8) constant. <typeparamref name="TInput"/> is a
/// loaded input, prepared once and multiplied by several constants (for PSHUFB kernels: its two nibbles).
/// The constant comes as a precomputed table of <see cref="TableBytes"/> bytes written by <see cref="WriteTable"/>.
/// </summary>
internal unsafe interface IGfKernel<TVector, TInput>
    where TVector : struct
    where TInput : struct
{
    static abstract int VectorBytes { get; }

    static abstract int TableBytes { get; }

    /// <summary>
    /// Whether the loop should take inputs two at a time (<see cref="MultiplyAdd(TVector, TInput, byte*, TInput, byte*)"/>):
    /// worth it where three-way XOR is one instruction and registers are plenty (AVX-512).
    /// </summary>
    static abstract bool PairInputs { get; }

    /// <summary>The most output rows one pass keeps in registers (one accumulator each) without spilling.</summary>
    static abstract int MaxRowsPerPass { get; }

    static abstract void WriteTable(byte coefficient, Span<byte> destination);

    static abstract TInput Load(byte* source);

    /// <summary>c · x, where <paramref name="table"/> holds c.</summary>
    static abstract TVector Multiply(TInput input, byte* table);

    /// <summary>accumulator ^ c · x.</summary>
    static abstract TVector MultiplyAdd(TVector accumulator, TInput input, byte* table);

    /// <summary>accumulator ^ c1 · x ^ c2 · y: two terms, so AVX-512 can merge the XORs into VPTERNLOG.</summary>
    static abstract TVector MultiplyAdd(TVector accumulator, TInput first, byte* firstTable, TInput second, byte* secondTable);

    static abstract void Store(byte* destination, TVector value);
}
