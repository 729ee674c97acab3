using System.Reflection;
using System.Text.Json;
using RclonePool.Core.Config;

namespace RclonePool.Tests.Unit.Config;

public sealed class ConfigKeysTests
{
    private static readonly string DocsPath = Path.Combine(RepositoryRoot.Path, "docs", "configuration.md");

    [Fact]
    public void Every_property_of_pool_config_has_a_key_named_in_snake_case_and_no_other_key_exists()
    {
        var properties = typeof(PoolConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .Order(StringComparer.Ordinal);
        Assert.Equal(properties, ConfigKeys.All.Select(k => k.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_key_of_the_spec_example_is_a_key()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "RclonePool.Tests.Unit", "Config", "spec-example.json"));
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            Assert.NotNull(ConfigKeys.Find(property.Name));
        }
    }

    [Fact]
    public void Each_key_reads_its_own_default_back()
    {
        foreach (var key in ConfigKeys.All.Where(k => k.Name != "temp_dir"))
        {
            var config = ConfigLoader.Parse($$"""{ "{{key.Name}}": {{key.DefaultText}} }""", "defaults", new ConfigEnvironment(_ => null, "~"));
            Assert.True(key.HasDefaultValue(config), key.Name);
        }
    }

    [Fact]
    public void Defaults_that_the_brief_fixes_are_kept()
    {
        Assert.Equal("true", ConfigKeys.Find("enable_rclone_daemon")!.DefaultText);
        Assert.Equal("0", ConfigKeys.Find("rclone_daemon_port")!.DefaultText);
        Assert.Equal("104857600", ConfigKeys.Find("chunk_size")!.DefaultText);
        Assert.Equal("\"least_used\"", ConfigKeys.Find("balancing_strategy")!.DefaultText);
    }

    [Fact]
    public void Every_key_is_active_so_none_is_reported_as_inactive_whatever_it_is_set_to()
    {
        var config = new PoolConfig { Remotes = ["a:"], MaxRetries = 9, EnableHealthMonitoring = true, HealthCheckInterval = 60, EnableMetrics = true, EnablePlugins = true, EnableDeduplication = true };
        Assert.Empty(ConfigKeys.InactiveKeysInUse(config).Select(k => k.Name));
        Assert.All(ConfigKeys.All, k => Assert.True(k.Active, $"{k.Name} is accepted and does nothing"));
    }

    [Theory]
    [InlineData("chunk_szie", "chunk_size")]
    [InlineData("CHUNK_SIZE", "chunk_size")]
    [InlineData("webdav_user", "webdav_users")]
    [InlineData("user", "users")]
    [InlineData("port", null)]
    [InlineData("x", null)]
    public void Suggest_finds_the_nearest_key(string input, string? expected) =>
        Assert.Equal(expected, ConfigKeys.Suggest(input));

    [Fact]
    public void Docs_examples_are_valid_configs()
    {
        var docs = File.ReadAllText(DocsPath);
        var examples = docs.Split("```json\n").Skip(1).Select(block => block[..block.IndexOf("```", StringComparison.Ordinal)]).ToList();
        Assert.Equal(2, examples.Count);
        foreach (var example in examples)
        {
            var config = ConfigLoader.Parse(example, "docs example", TestEnvironment.Default);
            Assert.Empty(ConfigValidator.Validate(config));
        }
    }

    [Fact]
    public void Docs_list_every_key_as_generated_from_the_key_table()
    {
        var docs = File.ReadAllText(DocsPath);
        var begin = docs.IndexOf(ConfigReference.BeginMarker, StringComparison.Ordinal);
        var end = docs.IndexOf(ConfigReference.EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/configuration.md lacks the generated-section markers.");
        var start = begin + ConfigReference.BeginMarker.Length + 1;
        var current = docs[start..end];
        var generated = ConfigReference.Markdown();
        if (current != generated && Environment.GetEnvironmentVariable("RCLONEPOOL_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(DocsPath, docs[..start] + generated + docs[end..]);
            return;
        }

        Assert.True(current == generated, "docs/configuration.md is out of date with ConfigKeys; run the unit tests with RCLONEPOOL_UPDATE_DOCS=1 to regenerate it.");
    }
}
