using System.Text.Json;

namespace RclonePool.Core.Config;

/// <summary>
/// The value of <c>users</c>: an object mapping a user name to <c>{"config": PATH, "quota_bytes": N, "quota_files": N}</c>
/// (quotas optional; quota_bytes also as a size string such as "10G"). Unknown fields are refused, naming the nearest one.
/// </summary>
internal sealed class UserPoolsType : ConfigType<Dictionary<string, UserPoolSpec>>
{
    public static readonly UserPoolsType Instance = new();

    private static readonly string[] Fields = ["config", "quota_bytes", "quota_files"];

    public override string Name => "map of user to {\"config\", \"quota_bytes\", \"quota_files\"}";

    public override string? Read(JsonElement element, bool secret, out Dictionary<string, UserPoolSpec> value)
    {
        value = new Dictionary<string, UserPoolSpec>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Expected(element, secret);
        }

        foreach (var entry in element.EnumerateObject())
        {
            var problem = ReadEntry(entry.Value, out var spec);
            if (problem is not null)
            {
                return $"entry {Quote(entry.Name)} {problem}";
            }

            if (!value.TryAdd(entry.Name, spec))
            {
                return $"names {Quote(entry.Name)} twice";
            }
        }

        return null;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, UserPoolSpec> value)
    {
        writer.WriteStartObject();
        foreach (var (user, spec) in value)
        {
            writer.WritePropertyName(user);
            writer.WriteStartObject();
            writer.WriteString("config", spec.Config);
            if (spec.QuotaBytes != 0)
            {
                writer.WriteNumber("quota_bytes", spec.QuotaBytes);
            }

            if (spec.QuotaFiles != 0)
            {
                writer.WriteNumber("quota_files", spec.QuotaFiles);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public override bool AreEqual(Dictionary<string, UserPoolSpec> a, Dictionary<string, UserPoolSpec> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && e.Value == other);

    private static string? ReadEntry(JsonElement element, out UserPoolSpec spec)
    {
        spec = new UserPoolSpec();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"must be an object such as {{\"config\": \"/etc/rclonepool/alice.json\", \"quota_bytes\": \"100G\"}}, but the config has {Describe(element, false)}";
        }

        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "config":
                    if (field.Value.ValueKind != JsonValueKind.String)
                    {
                        return $"has \"config\" {Describe(field.Value, false)}; give the path of the user's pool config file as a string";
                    }

                    spec = spec with { Config = field.Value.GetString() ?? string.Empty };
                    break;
                case "quota_bytes":
                    if (ConfigTypes.Size.Read(field.Value, false, out var bytes) is { } sizeProblem)
                    {
                        return $"quota_bytes {sizeProblem}";
                    }

                    spec = spec with { QuotaBytes = bytes };
                    break;
                case "quota_files":
                    if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetInt64(out var files))
                    {
                        return $"quota_files must be a whole number of files, but the config has {Describe(field.Value, false)}";
                    }

                    spec = spec with { QuotaFiles = files };
                    break;
                default:
                    var suggestion = NearestName.Find(field.Name, Fields);
                    return $"has the unknown field {Quote(field.Name)} ({(suggestion is null ? "the fields are config, quota_bytes and quota_files" : $"did you mean '{suggestion}'?")})";
            }
        }

        return element.TryGetProperty("config", out _) ? null : "has no \"config\"; give the path of the user's pool config file";
    }
}
