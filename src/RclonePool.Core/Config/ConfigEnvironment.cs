namespace RclonePool.Core.Config;

/// <summary>
/// What config loading reads from the process: environment variables and the home directory. Tests pass
/// their own so that they never change the real environment.
/// </summary>
public sealed class ConfigEnvironment
{
    private readonly Func<string, string?> _getVariable;
    private readonly string? _homeDirectory;

    /// <param name="getVariable">Looks up an environment variable; null when it is not set.</param>
    /// <param name="homeDirectory">The home directory; null reads HOME, then the OS user profile.</param>
    public ConfigEnvironment(Func<string, string?> getVariable, string? homeDirectory = null)
    {
        _getVariable = getVariable;
        _homeDirectory = homeDirectory;
    }

    /// <summary>The real process environment.</summary>
    public static ConfigEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    public string? GetVariable(string name)
    {
        var value = _getVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The user's home directory, or null when neither HOME nor the OS names one.</summary>
    public string? HomeDirectory
    {
        get
        {
            var home = _homeDirectory ?? GetVariable("HOME");
            if (string.IsNullOrEmpty(home) && ReferenceEquals(this, Process))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return string.IsNullOrEmpty(home) ? null : home;
        }
    }
}
