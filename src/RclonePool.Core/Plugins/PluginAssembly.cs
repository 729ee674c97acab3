using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// What a plugin file says before any of its code runs, read from its metadata: whether it is a .NET assembly, which
/// assemblies it references, and whether it was built against this host's plugin contract (the major version of
/// RclonePool.Plugins).
/// </summary>
internal sealed class PluginAssembly
{
    private static readonly AssemblyName Contract = typeof(IPlugin).Assembly.GetName();

    private PluginAssembly(string path, IReadOnlyList<AssemblyName> references)
    {
        Path = path;
        References = references;
    }

    public string Path { get; }

    public IReadOnlyList<AssemblyName> References { get; }

    /// <summary>The host's contract version ("1.0.0.0").</summary>
    public static Version ContractVersion => Contract.Version!;

    /// <summary>Reads <paramref name="path"/>'s metadata; null and the reason when it is not a .NET assembly.</summary>
    public static PluginAssembly? Read(string path, out string? problem)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                problem = $"{path} is not a .NET assembly (it has no metadata); a plugin is a .NET class library built against RclonePool.Plugins.";
                return null;
            }

            var reader = pe.GetMetadataReader();
            var references = reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
            problem = null;
            return new PluginAssembly(path, references);
        }
        catch (BadImageFormatException)
        {
            problem = $"{path} is not a .NET assembly; a plugin is a .NET class library built against RclonePool.Plugins.";
            return null;
        }
    }

    /// <summary>Null when the assembly was built against this host's contract; otherwise the reason it cannot load.</summary>
    public string? ContractProblem()
    {
        var reference = References.FirstOrDefault(r => r.Name == Contract.Name);
        if (reference is null)
        {
            return $"{Path} does not reference {Contract.Name}, so it has no plugins; build it against {Contract.Name} {ContractVersion.ToString(3)}.";
        }

        if (reference.Version is { } version && version.Major != ContractVersion.Major)
        {
            return $"{Path} was built against {Contract.Name} {version.ToString(3)}, and this rclonepool has {ContractVersion.ToString(3)}: rebuild the plugin against {ContractVersion.ToString(3)}.";
        }

        return null;
    }
}
