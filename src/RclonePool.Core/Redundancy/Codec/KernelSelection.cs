using System.Runtime.Intrinsics;
using RclonePool.Core.Errors;
using RclonePool.Core.Redundancy.Codec.Kernels;

namespace RclonePool.Core.Redundancy.Codec;

/// <summary>
/// Chooses the codec's kernel: the fastest the CPU supports (GFNI-512, GFNI-256, AVX-512BW, AVX2, SSSE3,
/// Vector128, scalar), unless <c>RCLONEPOOL_RS_KERNEL</c> names one. A named kernel the CPU cannot run is an error,
/// never a silent fallback, so a benchmark or test measures what it asked for.
/// </summary>
internal static class KernelSelection
{
    public const string EnvironmentVariable = "RCLONEPOOL_RS_KERNEL";

    private static readonly ReedSolomonKernel[] WidestFirst =
    [
        ReedSolomonKernel.Gfni512,
        ReedSolomonKernel.Gfni256,
        ReedSolomonKernel.Avx512,
        ReedSolomonKernel.Avx2,
        ReedSolomonKernel.Ssse3,
        ReedSolomonKernel.Vector128,
        ReedSolomonKernel.Scalar,
    ];

    private static readonly Lazy<ReedSolomonKernel> DefaultChoice = new(() => FromEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    /// <summary>The kernel new codecs use; throws the configuration error if the variable names a bad kernel.</summary>
    public static ReedSolomonKernel Default => DefaultChoice.Value;

    /// <summary>The kernels this CPU runs, widest first; the last is always <see cref="ReedSolomonKernel.Scalar"/>.</summary>
    public static IReadOnlyList<ReedSolomonKernel> Supported { get; } = Array.FindAll(WidestFirst, IsSupported);

    public static ReedSolomonKernel Best => Supported[0];

    public static bool IsSupported(ReedSolomonKernel kernel) => kernel switch
    {
        ReedSolomonKernel.Gfni512 => Gfni512Kernel.IsSupported,
        ReedSolomonKernel.Gfni256 => Gfni256Kernel.IsSupported,
        ReedSolomonKernel.Avx512 => Avx512Kernel.IsSupported,
        ReedSolomonKernel.Avx2 => Avx2Kernel.IsSupported,
        ReedSolomonKernel.Ssse3 => Ssse3Kernel.IsSupported,
        ReedSolomonKernel.Vector128 => Vector128.IsHardwareAccelerated,
        ReedSolomonKernel.Scalar => true,
        _ => false,
    };

    /// <summary>The name the environment variable uses for a kernel: gfni512, gfni256, avx512, avx2, ssse3, vector128, scalar.</summary>
    public static string Name(ReedSolomonKernel kernel) => kernel.ToString().ToLowerInvariant();

    /// <summary>The kernel for a value of the environment variable; null or blank means the best one.</summary>
    public static ReedSolomonKernel FromEnvironment(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Best;
        }

        string wanted = value.Trim();
        int index = Array.FindIndex(WidestFirst, k => string.Equals(Name(k), wanted, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new PoolException(
                PoolErrorKind.Environment,
                $"{EnvironmentVariable}='{value}' names no Reed-Solomon kernel; use one of " +
                $"{string.Join(", ", WidestFirst.Select(Name))}, or unset it to pick the fastest.");
        }

        ReedSolomonKernel kernel = WidestFirst[index];
        EnsureSupported(kernel);
        return kernel;
    }

    public static void EnsureSupported(ReedSolomonKernel kernel)
    {
        if (!IsSupported(kernel))
        {
            throw new PoolException(
                PoolErrorKind.Environment,
                $"The Reed-Solomon kernel '{Name(kernel)}' is not supported by this CPU or runtime; " +
                $"supported here: {string.Join(", ", Supported.Select(Name))}. Change or unset {EnvironmentVariable}.");
        }
    }
}
