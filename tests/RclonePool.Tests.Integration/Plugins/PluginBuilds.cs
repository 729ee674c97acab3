using RclonePool.Tests.Integration.Packaging;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>The plugin files the suite builds (samples/plugins and tests/plugins), in the configuration these tests were built in.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class PluginBuilds
{
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Sample(string project) => Output("samples", "plugins", project);

    public static string Bad(string project) => Output("tests", "plugins", project);

    /// <summary>A well-behaved plugin of tests/plugins (TestCodecs).</summary>
    public static string Test(string project) => Output("tests", "plugins", project);

    /// <summary>A plugins_dir of the right owner and mode under <paramref name="root"/>.</summary>
    public static string CreatePluginsDir(string root)
    {
        var directory = Path.Combine(root, "plugins");
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    /// <summary>Copies a built plugin (its .dll and <paramref name="extraFiles"/> beside it) into plugins_dir by hand, as a user might, without the checks of 'plugins load'.</summary>
    public static void Place(string pluginsDir, string dll, params string[] extraFiles)
    {
        var name = Path.GetFileNameWithoutExtension(dll);
        var target = Path.Combine(pluginsDir, name);
        Directory.CreateDirectory(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in extraFiles.Select(f => Path.Combine(Path.GetDirectoryName(dll)!, f)).Prepend(dll))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            File.SetUnixFileMode(Path.Combine(target, Path.GetFileName(file)), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Output(string area, string folder, string project)
    {
        var dll = Repository.File(area, folder, project, "bin", Configuration, "net10.0", project + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution (dotnet build RclonePool.slnx -c {Configuration}).");
        return dll;
    }
}
