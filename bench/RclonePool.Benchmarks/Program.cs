using BenchmarkDotNet.Running;
using RclonePool.Benchmarks.Codec;

if (args.Length > 0 && args[0] == CodecComparison.Switch)
{
    return CodecComparison.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
