using RclonePool.Core.Config;

namespace RclonePool.Tests.Unit.Config;

/// <summary>Config environments for tests: given variables and home, never the process's own.</summary>
internal static class TestEnvironment
{
    public const string Home = "/home/tester";

    public static ConfigEnvironment With(string? home = Home, params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return new ConfigEnvironment(name => map.GetValueOrDefault(name), home);
    }

    public static ConfigEnvironment Default => With();
}
