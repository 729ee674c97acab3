using FsCheck;
using FsCheck.Fluent;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Tests.Unit.Config;

public sealed class SizeParserTests
{
    private static readonly string[] Letters = ["K", "M", "G", "T"];
    private static readonly string[] Suffixes = ["", "i", "iB", "B"];

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("4096", 4096L)]
    [InlineData("100B", 100L)]
    [InlineData("1K", 1024L)]
    [InlineData("1k", 1024L)]
    [InlineData("256KiB", 256L * 1024)]
    [InlineData("64M", 64L * 1024 * 1024)]
    [InlineData("64MiB", 64L * 1024 * 1024)]
    [InlineData("64Mi", 64L * 1024 * 1024)]
    [InlineData("100MB", 100L * 1024 * 1024)]
    [InlineData("64 MiB", 64L * 1024 * 1024)]
    [InlineData(" 1G ", 1024L * 1024 * 1024)]
    [InlineData("1.5G", 1536L * 1024 * 1024)]
    [InlineData("1.5K", 1536L)]
    [InlineData("4GiB", 4L * 1024 * 1024 * 1024)]
    [InlineData("2T", 2L << 40)]
    [InlineData("1P", 1L << 50)]
    public void Parse_reads_bytes_and_binary_units(string text, long expected) =>
        Assert.Equal(expected, SizeParser.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("-1M", "negative")]
    [InlineData("M", "does not start with a number")]
    [InlineData("64X", "'X' is not a unit")]
    [InlineData("64MX", "'MX' is not a unit")]
    [InlineData("1.2.3M", "not a number")]
    [InlineData("0.3K", "whole number of bytes")]
    [InlineData("9000P", "too large")]
    public void Parse_refuses_bad_sizes_naming_the_flag_and_the_reason(string text, string reason)
    {
        var e = Assert.Throws<PoolException>(() => SizeParser.Parse(text, "--chunk-size"));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.StartsWith($"--chunk-size '{text}' is not a size", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("64M", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "0B")]
    [InlineData(1000L, "1000B")]
    [InlineData(1536L, "1536B")]
    [InlineData(4096L, "4KiB")]
    [InlineData(104857600L, "100MiB")]
    [InlineData(4L * 1024 * 1024 * 1024, "4GiB")]
    public void Format_uses_the_largest_exact_binary_unit(long bytes, string expected) =>
        Assert.Equal(expected, SizeParser.Format(bytes));

    [FsCheck.Xunit.Property]
    public Property Format_then_parse_returns_the_same_number(NonNegativeInt mantissa, byte shift)
    {
        var bytes = (long)mantissa.Get << (shift % 32);
        return (SizeParser.Parse(SizeParser.Format(bytes)) == bytes).ToProperty();
    }

    [FsCheck.Xunit.Property]
    public Property Every_unit_spelling_means_the_same_binary_power(PositiveInt count, byte unitIndex)
    {
        var index = unitIndex % Letters.Length;
        var number = (count.Get % 1_000_000) + 1;
        var expected = (long)number << (10 * (index + 1));
        var spellings = Suffixes.Select(s => number + Letters[index] + s);
        return spellings.All(s => SizeParser.Parse(s) == expected && SizeParser.Parse(s.ToLowerInvariant()) == expected).ToProperty();
    }
}
