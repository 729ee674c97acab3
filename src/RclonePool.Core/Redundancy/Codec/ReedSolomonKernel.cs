namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// The instruction-set paths of <see cref="ReedSolomonCodec"/>, narrowest first. The codec takes the widest
/// one the CPU supports unless the <c>RCLONEPOOL_RS_KERNEL</c> environment variable names another.
/// </summary>
public enum ReedSolomonKernel
{
    /// <summary>Byte at a time through a 64 KiB product table; runs anywhere.</summary>
    Scalar,

    /// <summary>Portable 128-bit nibble-table lookups (<c>Vector128.ShuffleNative</c>): Arm NEON, x86 SSSE3.</summary>
    Vector128,

    /// <summary>x86 SSSE3 PSHUFB nibble tables, 16 bytes per step.</summary>
    Ssse3,

    /// <summary>x86 AVX2 VPSHUFB nibble tables, 32 bytes per step.</summary>
    Avx2,

    /// <summary>x86 AVX-512BW VPSHUFB nibble tables, 64 bytes per step: AVX-512 CPUs without GFNI.</summary>
    Avx512,

    /// <summary>x86 GFNI affine transform (GF2P8AFFINEQB) on 256-bit vectors.</summary>
    Gfni256,

    /// <summary>x86 GFNI affine transform on 512-bit AVX-512 vectors.</summary>
    Gfni512,
}
