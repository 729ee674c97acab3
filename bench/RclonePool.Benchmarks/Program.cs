using BenchmarkDotNet.Running;
using RclonePool.Benchmarks.Reading;

if (args is ["read-path", .. var rest])
{
    return await ReadPathCheck.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
