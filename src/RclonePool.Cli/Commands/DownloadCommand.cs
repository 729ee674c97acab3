using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool download SRC DEST</c>: a pool file or directory to the local disk, verified.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SRC") { Description = "Pool file, or pool directory (downloaded recursively)." };
        var destination = new Argument<string>("DEST") { Description = "Local path. An existing local directory receives SRC under its own name." };
        var parallel = new Option<bool>("--parallel") { Description = "Fetch max_parallel_workers chunks at once (default: the config's parallel_downloads)." };
        var command = new Command("download", CommandText.WithExamples(
            "Download from the pool. Every byte is checked against the manifest's hashes; the local file is written under a temporary name and renamed only when complete.",
            "rclonepool download /backups/file.mkv /path/to/local.mkv",
            "rclonepool download --parallel /photos ~/restore/"))
        {
            source, destination, parallel,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var pool = session.Pool;
            var workers = parse.GetValue(parallel) || context.Config.ParallelDownloads ? await pool.TransferWorkersAsync(token) : 1;
            var src = PoolPath.Parse(parse.GetValue(source));
            var dest = parse.GetValue(destination)!;
            var entry = await pool.StatAsync(src, token) ?? throw PoolErrors.NotFound(src);

            var files = new List<(PoolPath Source, string Target, long Size)>();
            if (entry.IsDirectory)
            {
                var root = Directory.Exists(dest) && !src.IsRoot ? Path.Combine(dest, src.Name) : dest;
                Directory.CreateDirectory(root);
                await foreach (var item in pool.ListAsync(src, recursive: true, token))
                {
                    var local = Path.Combine(root, src.IsRoot ? item.Path.Value[1..] : item.Path.Value[(src.Value.Length + 1)..]);
                    if (item.IsDirectory)
                    {
                        Directory.CreateDirectory(local);
                    }
                    else
                    {
                        files.Add((item.Path, local, item.Size));
                    }
                }
            }
            else
            {
                files.Add((src, Directory.Exists(dest) ? Path.Combine(dest, src.Name) : dest, entry.Size));
            }

            await TransferReporter.RunAsync("download", files.Sum(f => f.Size), context.ShowProgress, async progress =>
            {
                foreach (var file in files)
                {
                    var sink = progress.StartFile(file.Source.Value, file.Size);
                    var item = new PoolEntry { Path = file.Source, Size = file.Size };
                    pool.OnDownloading(item);
                    await pool.DownloadToFileAsync(file.Source, file.Target, workers, sink, token);
                    pool.OnDownloaded(item, file.Size);
                    progress.CompleteFile(file.Source.Value);
                }
            });
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
