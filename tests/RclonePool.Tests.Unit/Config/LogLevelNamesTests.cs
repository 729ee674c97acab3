using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;

namespace RclonePool.Tests.Unit.Config;

public sealed class LogLevelNamesTests
{
    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("WARNING", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData("Critical", LogLevel.Critical)]
    public void Each_log_level_maps_to_its_namesake(string name, LogLevel expected) =>
        Assert.Equal(expected, LogLevelNames.ToLogLevel(name));

    [Fact]
    public void Every_value_the_config_accepts_has_a_level_of_its_own() =>
        Assert.Equal(ConfigValidator.LogLevels.Count, ConfigValidator.LogLevels.Select(LogLevelNames.ToLogLevel).Distinct().Count());
}
