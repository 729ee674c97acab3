using RclonePool.Core.Errors;
using RclonePool.Core.Paths;

namespace RclonePool.Tests.Unit.Paths;

public sealed class PoolPathTests
{
    [Theory]
    [InlineData("/a/b", "/a/b")]
    [InlineData("a/b/", "/a/b")]
    [InlineData("//a///b/./c", "/a/b/c")]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/films/Amélie 2001.mkv", "/films/Amélie 2001.mkv")]
    public void Parse_normalises_separators_and_dots(string input, string expected) =>
        Assert.Equal(expected, PoolPath.Parse(input).Value);

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("..")]
    [InlineData("/a/\0b")]
    [InlineData("/a/\nb")]
    [InlineData("/a\\..\\b")]
    public void Parse_refuses_escapes_and_control_characters(string input)
    {
        var e = Assert.Throws<PoolException>(() => PoolPath.Parse(input));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
    }

    [Fact]
    public void Parent_and_name_split_the_last_segment()
    {
        var p = PoolPath.Parse("/a/b/c.txt");
        Assert.Equal("/a/b", p.Parent.Value);
        Assert.Equal("c.txt", p.Name);
        Assert.Equal("/", PoolPath.Parse("/a").Parent.Value);
    }

    [Fact]
    public void Rebase_moves_a_descendant_under_a_new_base()
    {
        var from = PoolPath.Parse("/a");
        Assert.Equal("/z/b/c", from.Rebase(PoolPath.Parse("/a/b/c"), PoolPath.Parse("/z")).Value);
        Assert.False(from.Contains(PoolPath.Parse("/ab")));
    }
}
