using RclonePool.Core.Errors;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// <c>plugins load PATH</c>: checks a plugin file where it is (a .NET assembly, built against this host's contract, whose
/// plugin classes start and describe themselves, with its dependencies beside it), then copies it with those
/// dependencies into <c>plugins_dir/NAME/</c>, replacing an earlier copy of the same file. The copy is private to the
/// user (directories 0700, files 0600), and <c>plugins_dir</c> must pass <see cref="PluginDirectory"/>'s checks.
/// </summary>
public static class PluginInstaller
{
    private static readonly string Contract = typeof(IPlugin).Assembly.GetName().Name!;

    /// <summary>Installs <paramref name="source"/>; returns the metadata of the plugins it has.</summary>
    public static IReadOnlyList<PluginMetadata> Install(string source, PluginCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        source = Path.GetFullPath(source);
        if (!File.Exists(source) || !source.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{source} is not a plugin file; give the .dll of a plugin (its build output, e.g. bin/Release/net10.0/MyPlugin.dll).");
        }

        CreatePrivateDirectory(options.Directory);
        PluginDirectory.EnsureSafe(options.Directory);

        var problems = new List<PluginProblem>();
        var found = PluginFile.Open(source, options.Timeout, out var context, problems);
        try
        {
            if (problems.Count > 0 || found.Count == 0)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"Not loaded: {string.Join(" ", problems.Select(p => p.Message))}");
            }

            var name = Path.GetFileNameWithoutExtension(source);
            Copy(source, Dependencies(source), Path.Combine(options.Directory, name));
            return [.. found.Select(f => f.Metadata)];
        }
        finally
        {
            foreach (var (instance, _) in found)
            {
                (instance as IDisposable)?.Dispose();
            }

            context?.Unload();
        }
    }

    /// <summary>The files beside <paramref name="source"/> it needs: its .deps.json, and the assemblies it references (and they reference) found there.</summary>
    private static List<string> Dependencies(string source)
    {
        var directory = Path.GetDirectoryName(source)!;
        var files = new List<string>();
        var depsJson = Path.ChangeExtension(source, ".deps.json");
        if (File.Exists(depsJson))
        {
            files.Add(depsJson);
        }

        var pending = new Queue<string>([source]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { source };
        while (pending.TryDequeue(out var assemblyPath))
        {
            foreach (var reference in PluginAssembly.Read(assemblyPath, out _)?.References ?? [])
            {
                var candidate = Path.Combine(directory, reference.Name + ".dll");
                if (reference.Name != Contract && File.Exists(candidate) && seen.Add(candidate))
                {
                    files.Add(candidate);
                    pending.Enqueue(candidate);
                }
            }
        }

        return files;
    }

    private static void Copy(string source, List<string> dependencies, string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var old = staging + ".old";
        CreatePrivateDirectory(staging);
        try
        {
            foreach (var file in dependencies.Prepend(source))
            {
                var copy = Path.Combine(staging, Path.GetFileName(file));
                File.Copy(file, copy);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            if (Directory.Exists(target))
            {
                Directory.Move(target, old);
            }

            Directory.Move(staging, target);
        }
        finally
        {
            foreach (var leftover in new[] { staging, old }.Where(Directory.Exists))
            {
                Directory.Delete(leftover, recursive: true);
            }
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
