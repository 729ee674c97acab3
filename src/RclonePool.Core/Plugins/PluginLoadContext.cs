using System.Reflection;
using System.Runtime.Loader;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The collectible load context of one plugin assembly: its own dependencies come from its directory (through its
/// <c>.deps.json</c> when it has one, else by file name), while the abstractions assembly and the framework are the
/// host's, so the plugin's <see cref="IPlugin"/> is the host's <see cref="IPlugin"/>.
/// </summary>
internal sealed class PluginLoadContext(string assemblyPath) : AssemblyLoadContext($"plugin:{Path.GetFileNameWithoutExtension(assemblyPath)}", isCollectible: true)
{
    private static readonly string Contract = typeof(IPlugin).Assembly.GetName().Name!;

    private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);
    private readonly string _directory = Path.GetDirectoryName(assemblyPath)!;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == Contract)
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
            path = File.Exists(candidate) ? candidate : null;
        }

        // Null: the host's copy (the framework, or what the host has loaded), else a FileNotFoundException naming it.
        return path is null ? null : LoadFromStream(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>Loads from a copy in memory, so the file is not held open and can be replaced while the process runs.</summary>
    public Assembly LoadFromStream(string path)
    {
        using var stream = new MemoryStream(File.ReadAllBytes(path));
        return LoadFromStream(stream);
    }
}
