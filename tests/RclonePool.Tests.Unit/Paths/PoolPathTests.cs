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

    [Theory]
    [InlineData("/a/ /b")]
    [InlineData("/   ")]
    public void Parse_refuses_names_made_only_of_spaces(string input) =>
        Assert.Equal(PoolErrorKind.BadInput, Assert.Throws<PoolException>(() => PoolPath.Parse(input)).Kind);

    [Fact]
    public void Parse_refuses_names_and_paths_beyond_their_lengths_whether_or_not_they_are_normalised()
    {
        var longName = new string('n', PoolPath.MaxSegmentLength + 1);
        Assert.Throws<PoolException>(() => PoolPath.Parse("/a/" + longName));
        Assert.Throws<PoolException>(() => PoolPath.Parse("a/" + longName + "/"));
        Assert.Equal("/" + longName[1..], PoolPath.Parse("/" + longName[1..]).Value);
        var longPath = "/" + string.Join('/', Enumerable.Repeat(new string('p', 99), 41)); // 4,100 characters
        Assert.Throws<PoolException>(() => PoolPath.Parse(longPath));
    }

    /// <summary>
    /// Already-normalised input is kept as it is without the full parse; any input, normalised or not, gives what a
    /// plain model of the rules gives (split on '/', drop empty and "." names, refuse "..", names of spaces only, control
    /// characters, backslashes and names over 255).
    /// </summary>
    [Fact]
    public void Parse_agrees_with_a_model_of_the_rules_on_random_input()
    {
        var alphabet = new[] { '/', '/', '/', '.', '.', ' ', 'a', 'b', 'Z', '0', '-', 'é', '\\', '\t', '\u007F', '\u0085', '~' };
        var random = new Random(19);
        for (var n = 0; n < 20_000; n++)
        {
            var chars = new char[random.Next(0, 14)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var input = new string(chars);
            if (random.Next(4) == 0)
            {
                input = "/" + input.Trim('/'); // often already normalised
            }

            var expected = Model(input);
            var parsed = PoolPath.TryParse(input, out var path, out var error);
            Assert.True(parsed == (expected is not null), $"'{input}': parsed {parsed} ({error}), the model says {expected ?? "refused"}");
            if (expected is not null)
            {
                Assert.Equal(expected, path.Value);
                Assert.True(PoolPath.TryParse(path.Value, out var again, out _));
                Assert.Equal(path, again);
            }
        }
    }

    private static string? Model(string input)
    {
        if (input.Any(c => char.IsControl(c) || c == '\\'))
        {
            return null;
        }

        var names = new List<string>();
        foreach (var name in input.Split('/'))
        {
            if (name is "" or ".")
            {
                continue;
            }

            if (name == ".." || name.Length > PoolPath.MaxSegmentLength || name.All(c => c == ' '))
            {
                return null;
            }

            names.Add(name);
        }

        return "/" + string.Join('/', names);
    }
}
