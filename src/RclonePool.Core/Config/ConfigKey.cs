using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RclonePool.Core.Config;

/// <summary>
/// One key of the config file: its JSON name, type, default (taken from <see cref="PoolConfig"/>), meaning and
/// whether the feature behind it works yet. <see cref="ConfigKeys.All"/> lists every key.
/// </summary>
public abstract class ConfigKey
{
    private protected ConfigKey(string name, string section, bool active, string description, string? defaultText, bool secret)
    {
        Name = name;
        Section = section;
        Active = active;
        Description = description;
        DefaultOverride = defaultText;
        Secret = secret;
    }

    /// <summary>The JSON name, exactly as the feature document writes it ("chunk_size").</summary>
    public string Name { get; }

    /// <summary>The feature group the key came with ("v0.1 base", "v0.5 redundancy").</summary>
    public string Section { get; }

    /// <summary>False when the key is accepted and validated but its feature does not run yet.</summary>
    public bool Active { get; }

    /// <summary>What the key means, allowed values included.</summary>
    public string Description { get; }

    /// <summary>True when values must not appear in messages (password hashes).</summary>
    public bool Secret { get; }

    /// <summary>The type as the documentation names it ("integer", "list of strings").</summary>
    public abstract string TypeName { get; }

    /// <summary>The default as JSON text ("104857600", "\"least_used\"", "[]"), or a description where it depends on the machine.</summary>
    public string DefaultText => DefaultOverride ?? ValueText(new PoolConfig());

    private protected string? DefaultOverride { get; }

    /// <summary>The key's value in <paramref name="config"/>.</summary>
    public abstract object? GetValue(PoolConfig config);

    /// <summary>True when <paramref name="config"/> holds the default value for this key.</summary>
    public bool HasDefaultValue(PoolConfig config) => ValueEquals(config, new PoolConfig());

    /// <summary>True when both configs hold the same value for this key.</summary>
    public abstract bool ValueEquals(PoolConfig a, PoolConfig b);

    /// <summary>The key's value in <paramref name="config"/> as compact JSON text.</summary>
    public string ValueText(PoolConfig config)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteValue(writer, config);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads <paramref name="value"/> into <paramref name="target"/>; returns null or a message naming the key.</summary>
    internal abstract string? Read(JsonElement value, PoolConfig target);

    internal abstract void WriteValue(Utf8JsonWriter writer, PoolConfig config);

    /// <summary>Sets this key in <paramref name="to"/> to its value in <paramref name="from"/>.</summary>
    internal abstract void CopyValue(PoolConfig from, PoolConfig to);

    public override string ToString() => Name;
}

/// <summary>A key whose property on <see cref="PoolConfig"/> has type <typeparamref name="T"/>.</summary>
internal sealed class ConfigKey<T> : ConfigKey
{
    private readonly ConfigType<T> _type;
    private readonly Func<PoolConfig, T> _get;
    private readonly Action<PoolConfig, T> _set;

    public ConfigKey(
        string name,
        string section,
        bool active,
        ConfigType<T> type,
        Func<PoolConfig, T> get,
        Action<PoolConfig, T> set,
        string description,
        string? defaultText,
        bool secret)
        : base(name, section, active, description, defaultText, secret)
    {
        _type = type;
        _get = get;
        _set = set;
    }

    public override string TypeName => _type.Name;

    public override object? GetValue(PoolConfig config) => _get(config);

    public override bool ValueEquals(PoolConfig a, PoolConfig b) => _type.AreEqual(_get(a), _get(b));

    internal override string? Read(JsonElement value, PoolConfig target)
    {
        var problem = _type.Read(value, Secret, out var read);
        if (problem is not null)
        {
            return $"{Name} {problem}.";
        }

        _set(target, read);
        return null;
    }

    internal override void WriteValue(Utf8JsonWriter writer, PoolConfig config) => _type.Write(writer, _get(config));

    internal override void CopyValue(PoolConfig from, PoolConfig to) => _set(to, _get(from));
}
