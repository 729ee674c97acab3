using BenchmarkDotNet.Running;
using RclonePool.Benchmarks.Codec;
using RclonePool.Benchmarks.Reading;
using RclonePool.Benchmarks.Writing;

if (args.Length > 0 && args[0] == CodecComparison.Switch)
{
    return CodecComparison.Run(args);
}

if (args is ["read-path", .. var rest])
{
    return await ReadPathCheck.RunAsync(rest);
}

if (args is ["small-puts", .. var putArgs])
{
    return await SmallPutCheck.RunAsync(putArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
