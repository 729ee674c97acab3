using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Tests.Unit.Config;

public sealed class ConfigLocationTests
{
    [Fact]
    public void Explicit_path_wins_over_the_environment_variable_and_the_default()
    {
        var env = TestEnvironment.With(variables: [("RCLONEPOOL_CONFIG", "/etc/from-env.json"), ("XDG_CONFIG_HOME", "/xdg")]);
        var location = ConfigLoader.Locate("/srv/explicit.json", env);
        Assert.Equal(new ConfigLocation("/srv/explicit.json", ConfigSource.Argument), location);
    }

    [Fact]
    public void Environment_variable_wins_over_the_default()
    {
        var env = TestEnvironment.With(variables: [("RCLONEPOOL_CONFIG", "/etc/from-env.json"), ("XDG_CONFIG_HOME", "/xdg")]);
        Assert.Equal(new ConfigLocation("/etc/from-env.json", ConfigSource.EnvironmentVariable), ConfigLoader.Locate(null, env));
    }

    [Fact]
    public void Default_is_under_xdg_config_home_when_it_is_set()
    {
        var env = TestEnvironment.With(variables: [("XDG_CONFIG_HOME", "/xdg")]);
        Assert.Equal(new ConfigLocation("/xdg/rclonepool/config.json", ConfigSource.Default), ConfigLoader.Locate(null, env));
    }

    [Fact]
    public void Default_is_under_dot_config_in_home_without_xdg_config_home()
    {
        Assert.Equal("/home/tester/.config/rclonepool/config.json", ConfigLoader.Locate(null, TestEnvironment.Default).Path);
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("")]
    public void Relative_or_empty_xdg_config_home_is_ignored(string xdg)
    {
        var env = TestEnvironment.With(variables: [("XDG_CONFIG_HOME", xdg), ("RCLONEPOOL_CONFIG", "")]);
        Assert.Equal("/home/tester/.config/rclonepool/config.json", ConfigLoader.Locate(null, env).Path);
    }

    [Fact]
    public void Tilde_in_explicit_and_environment_paths_is_the_home_directory()
    {
        Assert.Equal("/home/tester/pools/a.json", ConfigLoader.Locate("~/pools/a.json", TestEnvironment.Default).Path);
        var env = TestEnvironment.With(variables: [("RCLONEPOOL_CONFIG", "~/b.json")]);
        Assert.Equal("/home/tester/b.json", ConfigLoader.Locate(null, env).Path);
    }

    [Fact]
    public void Relative_explicit_path_is_made_absolute_against_the_working_directory()
    {
        var location = ConfigLoader.Locate("pool.json", TestEnvironment.Default);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "pool.json"), location.Path);
    }

    [Fact]
    public void Empty_explicit_path_is_refused()
    {
        var e = Assert.Throws<PoolException>(() => ConfigLoader.Locate(" ", TestEnvironment.Default));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("--config", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_home_directory_the_default_cannot_be_found_and_the_message_says_what_to_do()
    {
        var e = Assert.Throws<PoolException>(() => ConfigLoader.Locate(null, TestEnvironment.With(home: null)));
        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("HOME is not set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_says_where_it_looked_and_to_run_init()
    {
        using var dir = new TempDirectory();
        var env = TestEnvironment.With(variables: [("RCLONEPOOL_CONFIG", dir.File("nope.json"))]);
        var e = Assert.Throws<PoolException>(() => ConfigLoader.Load(null, env));
        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains(dir.File("nope.json"), e.Message, StringComparison.Ordinal);
        Assert.Contains("RCLONEPOOL_CONFIG", e.Message, StringComparison.Ordinal);
        Assert.Contains("rclonepool init", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_instead_of_a_file_is_refused_clearly()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<PoolException>(() => ConfigLoader.Load(dir.Path, TestEnvironment.Default));
        Assert.Equal(PoolErrorKind.Environment, e.Kind);
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }
}
