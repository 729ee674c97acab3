using System.Text.Encodings.Web;
using System.Text.Json;

namespace RclonePool.Core.Config;

/// <summary>
/// How one kind of config value is read from and written to JSON. Reading is strict: a value of another
/// JSON kind is refused with a phrase that says what was expected and what the file has.
/// </summary>
internal abstract class ConfigType<T>
{
    /// <summary>The type as the documentation and error messages name it ("integer", "list of strings").</summary>
    public abstract string Name { get; }

    /// <summary>Reads <paramref name="element"/>; returns null, or the reason it is refused (completing "KEY ...").</summary>
    public abstract string? Read(JsonElement element, bool secret, out T value);

    public abstract void Write(Utf8JsonWriter writer, T value);

    public virtual bool AreEqual(T a, T b) => EqualityComparer<T>.Default.Equals(a, b);

    /// <summary>Names a JSON value for a message: the string "yes", the number 2.5, true, null, a list, an object.</summary>
    public static string Describe(JsonElement element, bool secret) => element.ValueKind switch
    {
        JsonValueKind.String when secret => "a string (hidden)",
        JsonValueKind.String => "the string " + Quote(element.GetString() ?? string.Empty),
        JsonValueKind.Number when secret => "a number (hidden)",
        JsonValueKind.Number => "the number " + element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "an unreadable value",
    };

    /// <summary>A string as JSON spells it, cut short when long, for messages.</summary>
    public static string Quote(string text)
    {
        const int Max = 80;
        var shown = text.Length > Max ? text[..Max] + "…" : text;
        return "\"" + JsonEncodedText.Encode(shown, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
    }

    protected string Expected(JsonElement element, bool secret) =>
        $"must be {Article(Name)}, but the config has {Describe(element, secret)}";

    private static string Article(string name) => ("aeiou".Contains(name[0], StringComparison.Ordinal) ? "an " : "a ") + name;
}

/// <summary>The value types of <see cref="PoolConfig"/>'s keys.</summary>
internal static class ConfigTypes
{
    public static readonly ConfigType<bool> Boolean = new BooleanType();
    public static readonly ConfigType<int> Integer = new IntegerType();
    public static readonly ConfigType<int?> IntegerOrAuto = new IntegerOrAutoType();
    public static readonly ConfigType<long> Size = new SizeType();
    public static readonly ConfigType<double> Number = new NumberType();
    public static readonly ConfigType<string> String = new StringType();
    public static readonly ConfigType<string?> OptionalString = new OptionalStringType();
    public static readonly ConfigType<List<string>> StringList = new StringListType();
    public static readonly ConfigType<Dictionary<string, double>> NumberMap = new MapType<double>(Number, "map of remote to number");
    public static readonly ConfigType<Dictionary<string, int>> IntegerMap = new MapType<int>(Integer, "map of remote to integer");
    public static readonly ConfigType<Dictionary<string, string>> StringMap = new MapType<string>(String, "map of user to password hash");
    public static readonly ConfigType<Dictionary<string, string>> KeyHashMap = new MapType<string>(String, "map of key name to key hash");
    public static readonly ConfigType<Dictionary<string, List<string>>> CommandMap = new MapType<List<string>>(StringList, "map of hook to command (list of strings)");
    public static readonly ConfigType<Dictionary<string, Dictionary<string, string>>> SettingsMap =
        new MapType<Dictionary<string, string>>(new MapType<string>(String, "map of setting to string"), "map of TYPE:NAME to a map of setting to string");

    private sealed class BooleanType : ConfigType<bool>
    {
        public override string Name => "boolean (true or false)";

        public override string? Read(JsonElement element, bool secret, out bool value)
        {
            value = element.ValueKind == JsonValueKind.True;
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Expected(element, secret);
        }

        public override void Write(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);
    }

    private sealed class IntegerType : ConfigType<int>
    {
        public override string Name => "integer";

        public override string? Read(JsonElement element, bool secret, out int value)
        {
            value = 0;
            if (element.ValueKind != JsonValueKind.Number)
            {
                return Expected(element, secret);
            }

            if (element.TryGetInt32(out value))
            {
                return null;
            }

            // JSON has one number type: 4.0 and 4e0 are the integer 4.
            if (!element.TryGetDouble(out var d) || d != Math.Floor(d))
            {
                return $"must be a whole number, but the config has {Describe(element, secret)}";
            }

            if (d is < int.MinValue or > int.MaxValue)
            {
                return $"must be an integer between {int.MinValue} and {int.MaxValue}, but the config has {Describe(element, secret)}";
            }

            value = (int)d;
            return null;
        }

        public override void Write(Utf8JsonWriter writer, int value) => writer.WriteNumberValue(value);
    }

    /// <summary>An integer, or the string "auto" (null) for a value the pool works out itself.</summary>
    private sealed class IntegerOrAutoType : ConfigType<int?>
    {
        public const string Auto = "auto";

        public override string Name => "integer or \"auto\"";

        public override string? Read(JsonElement element, bool secret, out int? value)
        {
            value = null;
            if (element.ValueKind == JsonValueKind.String)
            {
                return string.Equals(element.GetString(), Auto, StringComparison.OrdinalIgnoreCase) ? null : Expected(element, secret);
            }

            var problem = Integer.Read(element, secret, out var number);
            value = problem is null ? number : null;
            return problem is null || element.ValueKind == JsonValueKind.Number ? problem : Expected(element, secret);
        }

        public override void Write(Utf8JsonWriter writer, int? value)
        {
            if (value is { } number)
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteStringValue(Auto);
            }
        }
    }

    private sealed class SizeType : ConfigType<long>
    {
        public override string Name => "size (bytes, or a string such as \"64M\")";

        public override string? Read(JsonElement element, bool secret, out long value)
        {
            value = 0;
            switch (element.ValueKind)
            {
                case JsonValueKind.Number when element.TryGetInt64(out value):
                    return null;
                case JsonValueKind.Number when element.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15:
                    value = (long)d;
                    return null;
                case JsonValueKind.Number:
                    return $"must be a whole number of bytes, but the config has {Describe(element, secret)}";
                case JsonValueKind.String:
                    var text = element.GetString() ?? string.Empty;
                    return SizeParser.TryParse(text, out value, out var reason)
                        ? null
                        : $"must be a size such as 4096, \"256K\" or \"64M\", but the config has {Describe(element, secret)} ({reason})";
                default:
                    return Expected(element, secret);
            }
        }

        public override void Write(Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);
    }

    private sealed class NumberType : ConfigType<double>
    {
        public override string Name => "number";

        public override string? Read(JsonElement element, bool secret, out double value)
        {
            value = 0;
            if (element.ValueKind != JsonValueKind.Number)
            {
                return Expected(element, secret);
            }

            return element.TryGetDouble(out value) && double.IsFinite(value)
                ? null
                : $"must be a finite number, but the config has {Describe(element, secret)}";
        }

        public override void Write(Utf8JsonWriter writer, double value) => writer.WriteNumberValue(value);
    }

    private sealed class StringType : ConfigType<string>
    {
        public override string Name => "string";

        public override string? Read(JsonElement element, bool secret, out string value)
        {
            value = element.ValueKind == JsonValueKind.String ? element.GetString() ?? string.Empty : string.Empty;
            return element.ValueKind == JsonValueKind.String ? null : Expected(element, secret);
        }

        public override void Write(Utf8JsonWriter writer, string value) => writer.WriteStringValue(value);

        public override bool AreEqual(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
    }

    private sealed class OptionalStringType : ConfigType<string?>
    {
        public override string Name => "string or null";

        public override string? Read(JsonElement element, bool secret, out string? value)
        {
            value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            return element.ValueKind is JsonValueKind.String or JsonValueKind.Null ? null : Expected(element, secret);
        }

        public override void Write(Utf8JsonWriter writer, string? value)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }

        public override bool AreEqual(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);
    }

    private sealed class StringListType : ConfigType<List<string>>
    {
        public override string Name => "list of strings";

        public override string? Read(JsonElement element, bool secret, out List<string> value)
        {
            value = [];
            if (element.ValueKind != JsonValueKind.Array)
            {
                return Expected(element, secret);
            }

            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return $"must be a list of strings, but item {index + 1} is {Describe(item, secret)}";
                }

                value.Add(item.GetString() ?? string.Empty);
                index++;
            }

            return null;
        }

        public override void Write(Utf8JsonWriter writer, List<string> value)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        public override bool AreEqual(List<string> a, List<string> b) => a.SequenceEqual(b, StringComparer.Ordinal);
    }

    private sealed class MapType<TValue>(ConfigType<TValue> valueType, string name) : ConfigType<Dictionary<string, TValue>>
    {
        public override string Name => name;

        public override string? Read(JsonElement element, bool secret, out Dictionary<string, TValue> value)
        {
            value = new Dictionary<string, TValue>(StringComparer.Ordinal);
            if (element.ValueKind != JsonValueKind.Object)
            {
                return Expected(element, secret);
            }

            foreach (var entry in element.EnumerateObject())
            {
                var problem = valueType.Read(entry.Value, secret, out var item);
                if (problem is not null)
                {
                    return $"entry {Quote(entry.Name)} {problem}";
                }

                if (!value.TryAdd(entry.Name, item))
                {
                    return $"names {Quote(entry.Name)} twice";
                }
            }

            return null;
        }

        public override void Write(Utf8JsonWriter writer, Dictionary<string, TValue> value)
        {
            writer.WriteStartObject();
            foreach (var (key, item) in value)
            {
                writer.WritePropertyName(key);
                valueType.Write(writer, item);
            }

            writer.WriteEndObject();
        }

        public override bool AreEqual(Dictionary<string, TValue> a, Dictionary<string, TValue> b) =>
            a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && valueType.AreEqual(e.Value, other));
    }
}
