using BenchmarkDotNet.Running;
using RclonePool.Benchmarks.Codec;
using RclonePool.Benchmarks.Reading;

if (args.Length > 0 && args[0] == CodecComparison.Switch)
{
    return CodecComparison.Run(args);
}

if (args is ["read-path", .. var rest])
{
    return await ReadPathCheck.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
