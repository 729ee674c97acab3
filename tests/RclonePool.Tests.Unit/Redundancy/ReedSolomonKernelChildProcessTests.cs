using System.Diagnostics;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>
/// Runs the kernel-against-scalar tests of <see cref="ReedSolomonKernelTests"/> again in child processes whose runtime has an instruction set
/// switched off (<c>DOTNET_EnableGFNI=0</c> and the like), so the narrower kernels are chosen by the real
/// run-time detection and compiled without the wider encodings (no EVEX, no VEX), and checked against scalar.
/// </summary>
public sealed class ReedSolomonKernelChildProcessTests
{
    public const string ExpectedKernelVariable = "RCLONEPOOL_TEST_EXPECTED_KERNEL";

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(2);

    // Every (coefficient, byte) product through each kernel the child supports, and the child's own choice.
    private static readonly string[] ChildTests =
    [
        nameof(ReedSolomonKernelTests.Each_kernel_matches_scalar_on_every_coefficient),
        nameof(ReedSolomonKernelTests.The_default_kernel_is_the_widest_supported_and_scalar_is_always_there),
    ];

    [Fact]
    public async Task Narrower_kernels_match_scalar_when_the_runtime_disables_wider_instruction_setsAsync()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(ExpectedKernelVariable) is not null, "This is already a child run.");
        Assert.SkipUnless(
            KernelSelection.IsSupported(ReedSolomonKernel.Ssse3),
            "The instruction-set switches tested here are x86 ones.");

        (string Variable, ReedSolomonKernel[] Excluded)[] runs =
        [
            ("DOTNET_EnableGFNI", [ReedSolomonKernel.Gfni512, ReedSolomonKernel.Gfni256]),
            ("DOTNET_EnableAVX512", [ReedSolomonKernel.Gfni512, ReedSolomonKernel.Avx512]),
            ("DOTNET_EnableAVX", [ReedSolomonKernel.Gfni512, ReedSolomonKernel.Gfni256, ReedSolomonKernel.Avx512, ReedSolomonKernel.Avx2]),
            ("DOTNET_EnableHWIntrinsic", [.. Enum.GetValues<ReedSolomonKernel>().Where(k => k != ReedSolomonKernel.Scalar)]),
        ];

        string[] results = await Task.WhenAll(runs.Select(run =>
        {
            ReedSolomonKernel expected = KernelSelection.Supported.First(k => !run.Excluded.Contains(k));
            return RunChildAsync(run.Variable, expected);
        }));

        string[] failures = [.. results.Where(r => r.Length > 0)];
        Assert.True(failures.Length == 0, string.Join("\n\n", failures));
    }

    /// <summary>Runs the kernel tests with <paramref name="variable"/>=0; returns "" on success, else the reason.</summary>
    private static async Task<string> RunChildAsync(string variable, ReedSolomonKernel expected)
    {
        string assembly = typeof(ReedSolomonKernelTests).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string method in ChildTests)
        {
            start.ArgumentList.Add("-method");
            start.ArgumentList.Add($"{typeof(ReedSolomonKernelTests).FullName}.{method}");
        }

        start.ArgumentList.Add("-noLogo");
        start.ArgumentList.Add("-noColor");
        start.Environment[variable] = "0";
        start.Environment[ExpectedKernelVariable] = KernelSelection.Name(expected);
        start.Environment.Remove(KernelSelection.EnvironmentVariable);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child test process.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ChildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return $"{variable}=0: the child test run did not finish within {ChildTimeout.TotalSeconds:F0} s.";
        }

        return process.ExitCode == 0
            ? ""
            : $"{variable}=0 (expected kernel {KernelSelection.Name(expected)}) exited with {process.ExitCode}:\n{await output}\n{await errors}";
    }

    /// <summary>The dotnet host running this test, or the one the SDK names, or dotnet on the PATH.</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }
}
