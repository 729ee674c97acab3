using System.CommandLine;
using System.IO.Enumeration;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Errors;
using RclonePool.Core.IO;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool upload SRC DEST</c>: a file, a directory (recursively) or stdin into the pool.</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SRC") { Description = "Local file, local directory (uploaded recursively), or - for standard input." };
        var destination = new Argument<string>("DEST") { Description = "Pool path. An existing pool directory, or a path ending in '/', receives SRC under its own name." };
        var parallel = new Option<bool>("--parallel") { Description = "Transfer max_parallel_workers chunks at once (default: the config's parallel_uploads)." };
        var command = new Command("upload", CommandText.WithExamples(
            "Upload a file, a directory or standard input into the pool. The file appears only when all of it is stored; an existing file is replaced only after the new one is durable.",
            "rclonepool upload /path/to/file.mkv /backups/file.mkv",
            "rclonepool upload --parallel ~/photos /photos",
            "tar c docs | rclonepool upload - /backups/docs.tar"))
        {
            source, destination, parallel,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var src = parse.GetValue(source)!;
            var dest = PoolPath.Parse(parse.GetValue(destination));

            // A local directory is walked (and each file checked readable) while the pool opens: neither needs the other,
            // and opening is mostly one core's work (the runtime, the index), so the walk takes the other core.
            var planning = src != "-" && Directory.Exists(src) ? Task.Run(() => PlanDirectory(src, dest), token) : null;
            await using var session = await OpenAsync(context, planning, token);
            var pool = session.Pool;
            var workers = parse.GetValue(parallel) || context.Config.ParallelUploads ? await pool.TransferWorkersAsync(token) : 1;
            var plan = planning is not null ? await planning : await PlanAsync(pool, src, dest, parse.GetValue(destination)!.EndsWith('/'), token);
            var total = plan.Files.Sum(f => Math.Max(0, f.Size));

            // A line per stored file is noise (and time) for a directory of many: progress and the summary say it.
            context.SummarizeFiles = plan.Files.Count > FileLinesUpTo;

            // The directories are checked at once (a file in the way is refused before anything is written), then their
            // manifests are written together while the files upload (a file implies its parents; its manifest may share a
            // pack with theirs): a tree of a hundred directories otherwise held back the first file by a round of writes.
            var smallInFlight = workers == 1 ? 1 : Math.Min(MaxSmallInFlight, SmallFilesPerWorker * workers);
            var directoriesWritten = await pool.StartMkdirAllAsync(plan.Directories, token);

            var duplicates = 0;
            await TransferReporter.RunAsync("upload", total, context.ShowProgress, async progress =>
            {
                async Task UploadAsync(UploadItem file, ByteBudget? budget, CancellationToken ct)
                {
                    using var held = budget is null ? null : await budget.AcquireAsync(file.Size, ct);
                    var sink = progress.StartFile(file.Target.Value, file.Size);
                    var options = new PutOptions { Workers = workers, Progress = sink, Modified = file.Modified, ParentIsDirectory = file.ParentChecked };
                    PoolEntry? stored;
                    if (file.Local is null)
                    {
                        await using var stdin = Console.OpenStandardInput();
                        stored = await pool.PutAsync(file.Target, stdin, -1, options, ct);
                    }
                    else
                    {
                        await using var stream = new FileStream(file.Local, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
                        stored = await pool.PutAsync(file.Target, stream, stream.Length, options, ct);
                    }

                    if (stored?.DuplicateOf is not null && context.SummarizeFiles)
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                    else if (stored?.DuplicateOf is { } original)
                    {
                        Console.Error.WriteLine($"upload: {file.Target} is a duplicate of {original}: no new chunks stored, both share them.");
                    }

                    progress.CompleteFile(file.Target.Value);
                }

                // Small files cost round trips and per-file work, not bandwidth: many go at once, as many as fit in
                // SmallBytesPerWorker per worker (most are far smaller than the limit), so their manifests also share
                // packs. Large ones go one at a time, each with its chunks in parallel; both lanes run together. The
                // largest goes first: last, its chunks were the only work left at the end (a 40 MiB file of the .NET SDK
                // finished alone after every small file was stored), first, the small files fill in around it.
                var small = plan.Files.Where(f => IsSmall(f, pool.Config.ChunkSize)).ToList();
                var large = plan.Files.Where(f => !IsSmall(f, pool.Config.ChunkSize)).OrderByDescending(f => f.Size).ToList();
                var smallBytes = new ByteBudget(SmallBytesPerWorker * workers);
                using var failed = CancellationTokenSource.CreateLinkedTokenSource(token);
                async Task LaneAsync(List<UploadItem> files, int inFlight, ByteBudget? budget)
                {
                    try
                    {
                        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = failed.Token }, async (f, ct) => await UploadAsync(f, budget, ct));
                    }
                    catch
                    {
                        // One failure stops the other lane too: the first error is what the command reports.
                        await failed.CancelAsync();
                        throw;
                    }
                }

                async Task DirectoriesAsync()
                {
                    try
                    {
                        await directoriesWritten;
                    }
                    catch
                    {
                        await failed.CancelAsync();
                        throw;
                    }
                }

                await Task.WhenAll(LaneAsync(small, smallInFlight, smallBytes), LaneAsync(large, 1, null), DirectoriesAsync());
            });
            var sharing = duplicates == 0 ? string.Empty : $" ({duplicates} of them duplicates of files already stored: no new chunks, they share them)";
            Console.Error.WriteLine($"upload: {plan.Files.Count} file{(plan.Files.Count == 1 ? string.Empty : "s")} stored under {dest}{sharing}.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>Uploads of more files than this print no line per stored file (<see cref="CliContext.SummarizeFiles"/>).</summary>
    private const int FileLinesUpTo = 16;

    /// <summary>Small files in flight per chunk worker in a directory upload (one chunk each, at most <see cref="SmallFileBytes"/>), and the most in all.</summary>
    private const int SmallFilesPerWorker = 16, MaxSmallInFlight = 64;

    /// <summary>Bytes of small files in flight per chunk worker: what they may hold in memory (a compressed chunk's stored form) stays bounded.</summary>
    private const long SmallBytesPerWorker = 4 * SmallFileBytes;

    /// <summary>Files up to this size (and one chunk) are uploaded many at once.</summary>
    private const long SmallFileBytes = 4 << 20;

    private static bool IsSmall(UploadItem file, long chunkSize) => file.Local is not null && file.Size >= 0 && file.Size <= Math.Min(SmallFileBytes, chunkSize);

    /// <param name="ParentChecked">
    /// The target's parent is one of the plan's directories, which <c>StartMkdirAllAsync</c> checked (no file on the way up)
    /// and holds locked until written: the upload does not look up the target's ancestors again, one index read per level.
    /// </param>
    private sealed record UploadItem(string? Local, PoolPath Target, long Size, DateTimeOffset? Modified, bool ParentChecked = false);

    private sealed record UploadPlan(List<PoolPath> Directories, List<UploadItem> Files);

    /// <summary>
    /// Opens the pool for the upload. When the open fails, a directory walk started beside it is waited for (its own
    /// error, if any, is not the one to report: the pool's is) so that nothing runs on after the command ends.
    /// </summary>
    private static async Task<PoolSession> OpenAsync(CliContext context, Task<UploadPlan>? planning, CancellationToken token)
    {
        try
        {
            return await context.OpenPoolForWritesAsync(token);
        }
        catch when (planning is not null)
        {
            await planning.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private static async Task<UploadPlan> PlanAsync(StoragePool pool, string src, PoolPath dest, bool destIsDirectory, CancellationToken token)
    {
        if (src == "-")
        {
            return new UploadPlan([], [new UploadItem(null, dest, -1, null)]);
        }

        if (Directory.Exists(src))
        {
            return PlanDirectory(src, dest);
        }

        if (!File.Exists(src))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {src} does not exist; check the path.");
        }

        EnsureReadable(src);
        var info = new FileInfo(src);
        var target = dest;
        if (destIsDirectory || dest.IsRoot || await pool.StatAsync(dest, token) is { IsDirectory: true })
        {
            target = dest.Combine(info.Name);
        }

        return new UploadPlan([], [new UploadItem(info.FullName, target, info.Length, info.LastWriteTimeUtc)]);
    }

    /// <summary>
    /// Every directory and file below <paramref name="src"/> from one walk (the entries Directory.EnumerateDirectories and
    /// EnumerateFiles would give, with the size and time each file had then), each file opened once to refuse an
    /// unreadable one before anything is uploaded.
    /// </summary>
    private static UploadPlan PlanDirectory(string src, PoolPath dest)
    {
        var root = Path.GetFullPath(src);
        var entries = new FileSystemEnumerable<(string Path, FileInfo? File)>(
            root,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory ? null : (FileInfo)entry.ToFileSystemInfo()),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }).ToList();
        var directories = entries.Where(e => e.File is null)
            .Select(e => Combine(dest, Path.GetRelativePath(root, e.Path)))
            .Prepend(dest)
            .Where(d => !d.IsRoot)
            .OrderBy(d => d.Value, StringComparer.Ordinal)
            .ToList();
        var files = entries.Where(e => e.File is not null)
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => new UploadItem(e.Path, Combine(dest, Path.GetRelativePath(root, e.Path)), e.File!.Length, e.File.LastWriteTimeUtc, ParentChecked: true))
            .ToList();
        files.ForEach(f => EnsureReadable(f.Local!));
        return new UploadPlan(directories, files);
    }

    /// <summary>Opens and closes a local file, so an unreadable one is refused before anything is uploaded.</summary>
    private static void EnsureReadable(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {path} cannot be read (permission denied); nothing was uploaded.", e);
        }
        catch (IOException e)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {path} cannot be read ({e.Message}); nothing was uploaded.", e);
        }
    }

    private static PoolPath Combine(PoolPath directory, string relative) =>
        PoolPath.Parse(directory.Value.TrimEnd('/') + "/" + relative.Replace(Path.DirectorySeparatorChar, '/'));
}
