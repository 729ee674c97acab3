using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>One plugin file opened: checked (a .NET assembly, this host's contract), loaded into its own context, its plugin classes created.</summary>
internal static class PluginFile
{
    /// <summary>
    /// The plugins of the assembly at <paramref name="path"/> with their metadata, and the context they live in (null
    /// when nothing could load; <paramref name="problems"/> says why).
    /// </summary>
    public static List<(IPlugin Instance, PluginMetadata Metadata)> Open(string path, TimeSpan timeout, out PluginLoadContext? context, List<PluginProblem> problems)
    {
        var found = new List<(IPlugin, PluginMetadata)>();
        context = null;
        var assembly = PluginAssembly.Read(path, out var notAssembly);
        if (assembly is null || assembly.ContractProblem() is { } contract)
        {
            problems.Add(new(path, notAssembly ?? assembly!.ContractProblem()!));
            return found;
        }

        context = new PluginLoadContext(path);
        Type[] types;
        try
        {
            types = context.LoadFromStream(path).GetExportedTypes();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add(new(path, $"{path} does not load: {PluginCatalog.Explain(e, Path.GetDirectoryName(path))}."));
            context.Unload();
            context = null;
            return found;
        }

        foreach (var type in types.Where(PluginCatalog.IsPluginClass))
        {
            if (!TryCreate(type, Path.GetDirectoryName(path), timeout, out var instance, out var metadata, out var failure))
            {
                problems.Add(new(path, $"the plugin class {type.FullName} in {path} does not start: {failure}."));
                continue;
            }

            found.Add((instance!, metadata!));
        }

        if (found.Count == 0 && !problems.Any(p => p.Path == path))
        {
            problems.Add(new(path, $"{path} has no plugin: no public class with a public parameterless constructor implements a plugin interface (IBalancerPlugin, IEventHandlerPlugin, ITransformerPlugin …)."));
        }

        return found;
    }

    /// <summary>Calls <see cref="IPlugin.Initialize"/> within <paramref name="timeout"/>.</summary>
    public static bool TryInitialize(IPlugin instance, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, out string? failure) =>
        TryRun(() => { instance.Initialize(settings); return true; }, null, timeout, "no start within", out _, out failure);

    private static bool TryCreate(Type type, string? directory, TimeSpan timeout, out IPlugin? instance, out PluginMetadata? metadata, out string? failure)
    {
        metadata = null;
        if (!TryRun(() => (IPlugin)Activator.CreateInstance(type)!, directory, timeout, "its constructor did not return within", out instance, out failure))
        {
            return false;
        }

        var created = instance!;
        if (!TryRun(() => created.Metadata, directory, timeout, "its Metadata did not return within", out metadata, out failure))
        {
            return false;
        }

        if (metadata is null || !PluginId.IsValidName(metadata.Name ?? string.Empty))
        {
            failure = $"its metadata name \"{metadata?.Name}\" is not a plugin name (1 to 64 lower case letters, digits, '_' or '-')";
            return false;
        }

        if (!metadata.Type.Interface().IsInstanceOfType(instance))
        {
            failure = $"its metadata says {metadata.Type.Name()}, but it does not implement {metadata.Type.Interface().Name}";
            return false;
        }

        return true;
    }

    private static bool TryRun<T>(Func<T> call, string? directory, TimeSpan timeout, string late, out T? result, out string? failure)
    {
        result = default;
        // A thread of its own (LongRunning), not the thread pool's: a constructor that hangs keeps it for good.
        var task = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.DenyChildAttach | TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!task.Wait(timeout))
            {
                failure = $"{late} {timeout.TotalSeconds:0.###} s (it hangs)";
                return false;
            }
        }
        catch (AggregateException e)
        {
            failure = PluginCatalog.Explain(e, directory);
            return false;
        }

        result = task.Result;
        failure = null;
        return true;
    }
}
