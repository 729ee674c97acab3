using RclonePool.Core.Errors;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>A plugin's id as commands and <c>enabled_plugins</c> write it: <c>TYPE:NAME</c> ("balancer:fill_first").</summary>
public readonly record struct PluginId(PluginType Type, string Name)
{
    public override string ToString() => $"{Type.Name()}:{Name}";

    public static PluginId Of(PluginMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new(metadata.Type, metadata.Name);
    }

    /// <summary>Parses <paramref name="text"/>; the reason it is not an id otherwise (completing "… is not a plugin id: ").</summary>
    public static bool TryParse(string? text, out PluginId id, out string? problem)
    {
        id = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon < 0)
        {
            problem = "write it as TYPE:NAME, e.g. \"balancer:fill_first\"";
            return false;
        }

        var type = PluginTypes.Parse(text[..colon]);
        if (type is null)
        {
            problem = $"the type \"{text[..colon]}\" is not one of {string.Join(", ", PluginTypes.All.Select(t => t.Name()))}";
            return false;
        }

        var name = text[(colon + 1)..];
        if (!IsValidName(name))
        {
            problem = $"the name \"{name}\" must be 1 to 64 lower case letters, digits, '_' or '-'";
            return false;
        }

        id = new(type.Value, name);
        problem = null;
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws a BadInput <see cref="PoolException"/> that says how to write it.</summary>
    public static PluginId Parse(string text)
    {
        if (!TryParse(text, out var id, out var problem))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"\"{text}\" is not a plugin id: {problem}. 'rclonepool plugins list' shows the ids.");
        }

        return id;
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
}
