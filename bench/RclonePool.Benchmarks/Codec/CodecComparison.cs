using System.Diagnostics;
using System.Globalization;
using RclonePool.Core.Errors;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Benchmarks.Codec;

/// <summary>
/// The C# half of <c>bench/codec.sh</c>: single-threaded encode and reconstruct throughput (GB/s of data) for
/// one or more <c>k+m:size</c> cases, measured exactly like the ISA-L harness in <c>bench/isal/</c> (same buffer
/// layout, same data, same warm-up, best of 20 trials of 30 ms timed by the thread's CPU clock). Prints one line per measurement:
/// <c>encode 10+4 1MiB 61.87</c>, and a <c>check</c> line with a hash of the parity for cross-checking.
/// </summary>
internal static class CodecComparison
{
    public const string Switch = "--codec-compare";

    private const double WarmupSeconds = 0.3;
    private const double TrialSeconds = 0.03;
    private const int Trials = 20;

    public static int Run(string[] args)
    {
        try
        {
            return RunCases(args);
        }
        catch (Exception e) when (e is PoolException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static int RunCases(string[] args)
    {
        if (args.Contains("--kernel-only"))
        {
            Console.WriteLine(KernelSelection.Name(ReedSolomonCodec.DefaultKernel));
            return 0;
        }

        var cases = new List<CodecCase>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--case" && i + 1 < args.Length)
            {
                cases.Add(CodecCase.Parse(args[++i]));
            }
        }

        if (cases.Count == 0)
        {
            cases.AddRange(CodecCase.Defaults);
        }

        Console.WriteLine($"kernel {KernelSelection.Name(ReedSolomonCodec.DefaultKernel)}");
        foreach (CodecCase c in cases)
        {
            RunCase(c);
        }

        return 0;
    }

    private static void RunCase(CodecCase c)
    {
        var codec = new ReedSolomonCodec(c.DataShards, c.ParityShards);
        int n = c.DataShards + c.ParityShards;
        using var buffers = new ShardBuffers(n, c.ShardBytes);
        Memory<byte>[] shards = buffers.Shards;
        var data = new ReadOnlyMemory<byte>[c.DataShards];
        for (int i = 0; i < c.DataShards; i++)
        {
            data[i] = shards[i];
        }

        Memory<byte>[] parity = shards[c.DataShards..];
        long dataBytes = (long)c.DataShards * c.ShardBytes;

        double encode = Measure(() => codec.Encode(data, parity), dataBytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encode {c} {encode:F2}"));
        Console.WriteLine($"check {c} {buffers.ParityHash(c.DataShards):x16}");

        byte[][] lost = [.. shards[..c.ParityShards].Select(s => s.ToArray())];
        var present = new bool[n];
        present.AsSpan(c.ParityShards).Fill(true);
        double reconstruct = Measure(() => codec.Reconstruct(shards, present), dataBytes);
        for (int i = 0; i < c.ParityShards; i++)
        {
            if (!shards[i].Span.SequenceEqual(lost[i]))
            {
                Console.Error.WriteLine($"reconstruct {c}: data shard {i} differs from the original");
                Environment.Exit(2);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reconstruct {c} {reconstruct:F2}"));
    }

    /// <summary>Best throughput in GB/s (10^9 bytes per second) over several trials, after a warm-up.</summary>
    private static double Measure(Action operation, long bytesPerOperation)
    {
        var clock = Stopwatch.StartNew();
        long iterations = 0;
        while (clock.Elapsed.TotalSeconds < WarmupSeconds || iterations < 3)
        {
            operation();
            iterations++;
        }

        long perTrial = Math.Max(1, (long)(iterations * TrialSeconds / clock.Elapsed.TotalSeconds));
        double best = 0;
        for (int t = 0; t < Trials; t++)
        {
            double start = ThreadClock.Now();
            for (long i = 0; i < perTrial; i++)
            {
                operation();
            }

            double seconds = ThreadClock.Now() - start;
            best = Math.Max(best, bytesPerOperation * perTrial / seconds / 1e9);
        }

        return best;
    }
}
