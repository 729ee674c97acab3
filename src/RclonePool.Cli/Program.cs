using RclonePool.Cli;

return await CliApp.RunAsync(args);
