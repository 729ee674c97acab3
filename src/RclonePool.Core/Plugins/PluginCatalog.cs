using System.Reflection;
using Microsoft.Extensions.Logging;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The plugins of <c>plugins_dir</c>, loaded: each plugin file (<c>NAME.dll</c> at the top, or <c>NAME/NAME.dll</c> with
/// its dependencies beside it) in its own collectible <see cref="PluginLoadContext"/>; each public plugin class created
/// once (within the time-out), and those enabled initialised with their settings. Whatever fails (an unsafe directory,
/// a file that is not a plugin, a contract of another version, a missing dependency, a constructor that throws or
/// hangs) is a <see cref="PluginProblem"/>, never an exception: the pool goes on without it. Disposing unloads them all.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private readonly List<PluginLoadContext> _contexts = [];
    private readonly List<LoadedPlugin> _plugins = [];
    private readonly List<PluginProblem> _problems = [];

    private PluginCatalog(string directory) => Directory = directory;

    public string Directory { get; }

    public IReadOnlyList<LoadedPlugin> Plugins => _plugins;

    public IReadOnlyList<PluginProblem> Problems => _problems;

    /// <summary>The enabled plugins of <paramref name="type"/>, as <typeparamref name="T"/>.</summary>
    public IEnumerable<(LoadedPlugin Plugin, T Instance)> Enabled<T>(PluginType type) where T : class, IPlugin =>
        _plugins.Where(p => p.Enabled && p.Metadata.Type == type && p.Instance is T).Select(p => (p, (T)p.Instance));

    /// <summary>Loads what <paramref name="options"/> names; logs each problem at Warning on <paramref name="logger"/>.</summary>
    public static PluginCatalog Load(PluginCatalogOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var catalog = new PluginCatalog(options.Directory);
        if (PluginDirectory.Problem(options.Directory) is { } unsafeDirectory)
        {
            catalog._problems.Add(new(options.Directory, unsafeDirectory));
        }
        else
        {
            foreach (var file in PluginFiles(options.Directory))
            {
                catalog.LoadFile(file, options);
            }

            foreach (var id in options.Enabled.Where(id => !catalog._plugins.Any(p => p.Id == id)))
            {
                PluginLog.EnabledMissing(logger, id.ToString());
            }
        }

        foreach (var problem in catalog._problems)
        {
            PluginLog.NotLoaded(logger, problem.Message);
        }

        return catalog;
    }

    /// <summary>The plugin files of <paramref name="directory"/>: <c>*.dll</c> at the top, and <c>NAME/NAME.dll</c>.</summary>
    public static IEnumerable<string> PluginFiles(string directory)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            yield return file;
        }

        foreach (var sub in System.IO.Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(sub, Path.GetFileName(sub) + ".dll");
            if (File.Exists(file))
            {
                yield return file;
            }
        }
    }

    private void LoadFile(string path, PluginCatalogOptions options)
    {
        var found = PluginFile.Open(path, options.Timeout, out var context, _problems);
        if (context is null)
        {
            return;
        }

        var kept = 0;
        foreach (var (instance, metadata) in found)
        {
            var id = PluginId.Of(metadata);
            if (_plugins.Any(p => p.Id == id))
            {
                _problems.Add(new(path, $"{path} has the plugin {id}, and {_plugins.First(p => p.Id == id).Path} has one of that id already; remove one of them."));
                continue;
            }

            var enabled = options.Enabled.Contains(id);
            if (enabled && !PluginFile.TryInitialize(instance, options.Settings.GetValueOrDefault(id.ToString()) ?? [], options.Timeout, out var failure))
            {
                _problems.Add(new(path, $"plugin {id} failed to start ({failure}); it is not used: fix its plugin_settings or the plugin."));
                enabled = false;
            }

            _plugins.Add(new LoadedPlugin(instance, metadata, path, enabled));
            kept++;
        }

        if (kept == 0)
        {
            context.Unload();
            return;
        }

        _contexts.Add(context);
    }

    /// <summary>Disposes the plugins that are <see cref="IDisposable"/> and unloads their contexts.</summary>
    public void Dispose()
    {
        foreach (var plugin in _plugins)
        {
            try
            {
                (plugin.Instance as IDisposable)?.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A plugin that fails to clean up does not stop the others from unloading.
            }
        }

        _plugins.Clear();
        foreach (var context in _contexts)
        {
            context.Unload();
        }

        _contexts.Clear();
    }

    /// <summary>True for a class the catalog creates: public, concrete, a plugin, with a public parameterless constructor.</summary>
    internal static bool IsPluginClass(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IPlugin).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null;

    internal static string Explain(Exception e, string? directory) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Explain(inner, directory),
        AggregateException { InnerException: { } inner } => Explain(inner, directory),
        ReflectionTypeLoadException load when load.LoaderExceptions.FirstOrDefault(x => x is not null) is { } first => Explain(first, directory),
        FileNotFoundException missing =>
            $"it needs {missing.FileName ?? "an assembly"}, which is neither beside it in {directory} nor part of .NET: put the plugin's dependencies beside it ('rclonepool plugins load' copies those found beside the plugin file)",
        FileLoadException bad => $"a dependency cannot load: {bad.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
