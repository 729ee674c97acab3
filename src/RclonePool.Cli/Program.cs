using RclonePool.Cli;
using RclonePool.Cli.Help;

// `rclonepool --help` is answered before anything else starts (docs/benchmarks.md, CLI start-up).
return RootHelp.IsRequest(args) ? RootHelp.Write() : CliApp.RunAsync(args).GetAwaiter().GetResult();
