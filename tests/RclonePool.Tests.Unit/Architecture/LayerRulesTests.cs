using NetArchTest.Rules;
using RclonePool.Core.Pool;

namespace RclonePool.Tests.Unit.Architecture;

/// <summary>
/// The dependency rules of docs/code-structure.md, checked on the compiled Core assembly: data flows down the layers and
/// nothing points upward. A failure names the types that break the rule.
/// </summary>
public sealed class LayerRulesTests
{
    private static readonly System.Reflection.Assembly Core = typeof(StoragePool).Assembly;

    [Fact]
    public void The_pool_never_uses_the_jobs_built_on_it()
    {
        var result = Types.InAssembly(Core).That().ResideInNamespace("RclonePool.Core.Pool")
            .ShouldNot().HaveDependencyOn("RclonePool.Core.Jobs").GetResult();

        Assert.True(result.IsSuccessful, Breaking("RclonePool.Core.Pool uses RclonePool.Core.Jobs", result));
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Spectre.Console")]
    [InlineData("System.CommandLine")]
    public void Core_takes_no_front_end_dependency(string frontEnd)
    {
        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOn(frontEnd).GetResult();

        Assert.True(result.IsSuccessful, Breaking($"Core uses {frontEnd}", result));
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name!.StartsWith(frontEnd, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_index_layer_talks_to_SQLite()
    {
        var result = Types.InAssembly(Core).That().DoNotResideInNamespace("RclonePool.Core.Index")
            .ShouldNot().HaveDependencyOn("Microsoft.Data.Sqlite").GetResult();

        Assert.True(result.IsSuccessful, Breaking("code outside RclonePool.Core.Index uses Microsoft.Data.Sqlite", result));
    }

    [Fact]
    public void Only_the_index_layer_talks_to_PostgreSQL()
    {
        var result = Types.InAssembly(Core).That().DoNotResideInNamespace("RclonePool.Core.Index")
            .ShouldNot().HaveDependencyOn("Npgsql").GetResult();

        Assert.True(result.IsSuccessful, Breaking("code outside RclonePool.Core.Index uses Npgsql", result));
    }

    [Theory]
    [InlineData("RclonePool.Core.Remotes")]
    [InlineData("RclonePool.Core.Manifests")]
    [InlineData("RclonePool.Core.Index")]
    [InlineData("RclonePool.Core.Redundancy")]
    [InlineData("RclonePool.Core.Integrity")]
    [InlineData("RclonePool.Core.Compression")]
    public void Lower_layers_never_use_the_pool_or_the_jobs(string layer)
    {
        var result = Types.InAssembly(Core).That().ResideInNamespace(layer)
            .ShouldNot().HaveDependencyOnAny("RclonePool.Core.Pool", "RclonePool.Core.Jobs").GetResult();

        Assert.True(result.IsSuccessful, Breaking($"{layer} uses the pool or the jobs", result));
    }

    [Fact]
    public void The_rules_see_real_dependencies()
    {
        // A control: the checker does find a dependency that exists (a job uses the pool), so a pass above means something.
        var result = Types.InAssembly(Core).That().HaveName("Verifier").Should().HaveDependencyOn("RclonePool.Core.Pool").GetResult();

        Assert.True(result.IsSuccessful);
        Assert.NotEmpty(Types.InAssembly(Core).That().ResideInNamespace("RclonePool.Core.Pool").GetTypes());
    }

    private static string Breaking(string rule, NetArchTest.Rules.TestResult result) =>
        $"{rule}: {string.Join(", ", result.FailingTypeNames ?? [])}";
}
