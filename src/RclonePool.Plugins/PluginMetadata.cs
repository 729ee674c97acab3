namespace RclonePool.Plugins;

/// <summary>
/// What a plugin says about itself. <see cref="Name"/> and <see cref="Type"/> make its id, <c>TYPE:NAME</c>
/// ("balancer:fill_first"), as <c>plugins enable</c> and <c>enabled_plugins</c> write it: lower case letters, digits,
/// '_' and '-'.
/// </summary>
public sealed record PluginMetadata(string Name, string Version, string Author, string Description, PluginType Type)
{
    /// <summary>"balancer:fill_first".</summary>
    public string Id => $"{Type.Name()}:{Name}";
}
