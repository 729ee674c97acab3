using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool info PATH [--json]</c>: the manifest of an entry.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "Pool file or directory." };
        var json = new Option<bool>("--json") { Description = "Print the manifest as stored (JSON)." };
        var command = new Command("info", CommandText.WithExamples(
            "Show an entry's manifest: size, hashes, chunks and where each is stored.",
            "rclonepool info /backups/file.mkv",
            "rclonepool info --json /backups/file.mkv"))
        {
            path, json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var target = PoolPath.Parse(parse.GetValue(path));
            var manifest = await session.Pool.GetManifestAsync(target, token);
            if (manifest is null)
            {
                var entry = await session.Pool.StatAsync(target, token) ?? throw PoolErrors.NotFound(target);
                Console.WriteLine($"{entry.Path}/ is a directory implied by the files below it (it has no manifest of its own).");
                return ExitCodes.Success;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(ManifestSerializer.ToIndentedJson(manifest));
                return ExitCodes.Success;
            }

            Console.WriteLine($"path:        {manifest.Path}");
            Console.WriteLine($"kind:        {manifest.Kind.ToString().ToLowerInvariant()}");
            Console.WriteLine($"file id:     {manifest.FileId} (revision {manifest.Revision})");
            Console.WriteLine($"modified:    {manifest.Modified:u}");
            Console.WriteLine($"written:     {manifest.Written:u}");
            if (manifest.Kind == EntryKind.File)
            {
                Console.WriteLine($"size:        {manifest.Size} bytes ({Units.FormatBytes(manifest.Size)})");
                Console.WriteLine($"sha256:      {manifest.Sha256}");
                Console.WriteLine($"chunk size:  {Units.FormatBytes(manifest.ChunkSize)}, hash blocks of {Units.FormatBytes(manifest.BlockSize)} ({manifest.BlockHash})");
                Console.WriteLine($"redundancy:  {Describe(manifest.Redundancy)}");
                Console.WriteLine($"chunks:      {manifest.Chunks.Count}");
                foreach (var chunk in manifest.Chunks)
                {
                    var where = string.Join(", ", chunk.Locations.Select(l => l.Role switch
                    {
                        LocationRole.Shard => $"shard {l.Shard} {l.Remote} {l.Object}",
                        LocationRole.Replica => $"copy {l.Remote} {l.Object}",
                        _ => $"{l.Remote} {l.Object}",
                    }));
                    Console.WriteLine($"  #{chunk.Index,-4} offset {chunk.Offset,-14} length {chunk.Length,-12} sha256 {chunk.Sha256[..16]}…  {where}");
                }
            }

            foreach (var (name, value) in manifest.Properties ?? new Dictionary<string, string>())
            {
                Console.WriteLine($"property:    {name} = {value}");
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static string Describe(RedundancySpec spec) => spec.Mode switch
    {
        "replication" => $"replication, {spec.Copies} copies",
        "parity" => $"parity {spec.DataShards}+{spec.ParityShards}",
        "hybrid" => $"hybrid: parity {spec.DataShards}+{spec.ParityShards}, {spec.Copies} copies of chunks shorter than a stripe row",
        _ => spec.Mode,
    };
}
