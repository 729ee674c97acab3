using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RclonePool.Core.Errors;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>
/// Every SIMD path must give the scalar path's bytes. Each test creates codecs on a named kernel in-process;
/// kernels this CPU lacks are skipped (the list below says which ran).
/// </summary>
public sealed class ReedSolomonKernelTests
{
    private static readonly Gen<KernelCase> Cases =
        from k in Gen.Choose(1, 20)
        from m in Gen.Choose(1, 12)
        from length in Gen.OneOf(
            Gen.Choose(1, 200),
            Gen.Choose(1000, 3000),
            Gen.Elements(16, 31, 32, 33, 63, 64, 65, 96, 127, 128, 129, 191, 4096 + 17),
            Gen.Choose(65_000, 90_000))
        from seed in Gen.Choose(0, int.MaxValue)
        select new KernelCase(k, m, length, seed);

    public static TheoryData<ReedSolomonKernel> AllKernels() => [.. Enum.GetValues<ReedSolomonKernel>()];

    [Property(MaxTest = 25)]
    public Property Every_supported_kernel_encodes_and_rebuilds_byte_identical_to_scalar() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var reference = RandomStripe.Encode(new ReedSolomonCodec(c.K, c.M, ReedSolomonKernel.Scalar), c.Length, c.Seed);
            var random = new Random(c.Seed);
            int[] lost = [.. Enumerable.Range(0, c.K + c.M).OrderBy(_ => random.Next()).Take(c.M)];
            foreach (ReedSolomonKernel kernel in KernelSelection.Supported)
            {
                var codec = new ReedSolomonCodec(c.K, c.M, kernel);
                var stripe = RandomStripe.Encode(codec, c.Length, c.Seed);
                Assert.True(reference.FirstDifference(RandomStripe.AsMemory(stripe.Shards), c.K + c.M) < 0, $"{kernel} encode {c}");

                (Memory<byte>[] shards, bool[] present) = stripe.Damage(lost, c.Seed);
                codec.Reconstruct(shards, present);
                Assert.True(reference.FirstDifference(shards, c.K + c.M) < 0, $"{kernel} reconstruct {c} lost [{string.Join(",", lost)}]");
            }
        });

    public static TheoryData<ReedSolomonKernel, int> KernelsAndDataShards() =>
    [
        .. from kernel in Enum.GetValues<ReedSolomonKernel>()
           from k in Enumerable.Range(1, 3)
           select (kernel, k),
    ];

    [Theory]
    [MemberData(nameof(KernelsAndDataShards))]
    public void Each_kernel_matches_scalar_on_every_coefficient(ReedSolomonKernel kernel, int k)
    {
        Assert.SkipUnless(KernelSelection.IsSupported(kernel), $"{kernel} is not supported on this CPU.");

        // Data shards holding every byte value, one parity row per coefficient: k + (256 - k) rows cover every
        // (coefficient, byte) product, and k = 1, 2, 3 runs the first-input, single and paired accumulate steps.
        // The rows exceed one register pass. 373 bytes run, for vectors of 16, 32 and 64 bytes, both the
        // two-vector and the one-vector steps and leave a scalar tail.
        int m = 256 - k;
        var codec = new ReedSolomonCodec(k, m, kernel);
        var scalar = new ReedSolomonCodec(k, m, ReedSolomonKernel.Scalar);
        byte[][] data = [.. Enumerable.Range(0, k).Select(d => Enumerable.Range(0, 373).Select(i => (byte)((i * (d + 1)) + d)).ToArray())];
        byte[][] parity = [.. Enumerable.Range(0, m).Select(_ => new byte[373])];
        byte[][] expected = [.. Enumerable.Range(0, m).Select(_ => new byte[373])];
        codec.Encode(RandomStripe.AsReadOnly(data), RandomStripe.AsMemory(parity));
        scalar.Encode(RandomStripe.AsReadOnly(data), RandomStripe.AsMemory(expected));
        for (int i = 0; i < m; i++)
        {
            Assert.Equal(expected[i], parity[i]);
        }

        Assert.Equal(kernel, codec.Kernel);
    }

    [Fact]
    public void The_default_kernel_is_the_widest_supported_and_scalar_is_always_there()
    {
        Assert.Equal(ReedSolomonKernel.Scalar, KernelSelection.Supported[^1]);
        Assert.Equal(KernelSelection.Supported[0], KernelSelection.FromEnvironment(null));
        Assert.Equal(KernelSelection.Supported[0], KernelSelection.FromEnvironment("  "));
        if (Environment.GetEnvironmentVariable(KernelSelection.EnvironmentVariable) is null)
        {
            Assert.Equal(KernelSelection.Best, ReedSolomonCodec.DefaultKernel);
        }

        // Set by ReedSolomonKernelChildProcessTests for the child it starts with an instruction set disabled.
        if (Environment.GetEnvironmentVariable(ReedSolomonKernelChildProcessTests.ExpectedKernelVariable) is { } expected)
        {
            Assert.Equal(expected, KernelSelection.Name(KernelSelection.Best));
        }
    }

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void The_environment_variable_names_kernels_in_lower_case(ReedSolomonKernel kernel)
    {
        string name = KernelSelection.Name(kernel);
        Assert.Equal(name, name.ToLowerInvariant());
        if (KernelSelection.IsSupported(kernel))
        {
            Assert.Equal(kernel, KernelSelection.FromEnvironment(name));
            Assert.Equal(kernel, KernelSelection.FromEnvironment(name.ToUpperInvariant()));
        }
        else
        {
            var e = Assert.Throws<PoolException>(() => KernelSelection.FromEnvironment(name));
            Assert.Contains("not supported by this CPU", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("avx9")]
    [InlineData("3")]
    [InlineData("gfni")]
    public void Unknown_kernel_names_are_a_clear_error(string value)
    {
        var e = Assert.Throws<PoolException>(() => KernelSelection.FromEnvironment(value));
        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("gfni512, gfni256, avx512, avx2, ssse3, vector128, scalar", e.Message, StringComparison.Ordinal);
    }

    internal sealed record KernelCase(int K, int M, int Length, int Seed);
}
