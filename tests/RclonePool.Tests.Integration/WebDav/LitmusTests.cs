namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// The litmus WebDAV suite (Debian package litmus 0.13), every case its own test row. The expected list is litmus's
/// own order; a case that is missing, failed or skipped fails its row, and warnings are printed with the row.
/// </summary>
public sealed class LitmusTests(LitmusFixture litmus) : IClassFixture<LitmusFixture>
{
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["basic"] =
        [
            "init", "begin", "options", "put_get", "put_get_utf8_segment", "put_no_parent", "mkcol_over_plain", "delete",
            "delete_null", "delete_fragment", "mkcol", "mkcol_again", "delete_coll", "mkcol_no_parent", "mkcol_with_body", "finish",
        ],
        ["copymove"] =
        [
            "init", "begin", "copy_init", "copy_simple", "copy_overwrite", "copy_nodestcoll", "copy_cleanup", "copy_coll",
            "copy_shallow", "move", "move_coll", "move_cleanup", "finish",
        ],
        ["props"] =
        [
            "init", "begin", "propfind_invalid", "propfind_invalid2", "propfind_d0", "propinit", "propset", "propget",
            "propextended", "propmove", "propget", "propdeletes", "propget", "propreplace", "propget", "propnullns", "propget",
            "prophighunicode", "propget", "propremoveset", "propget", "propsetremove", "propget", "propvalnspace", "propwformed",
            "propinit", "propmanyns", "propget", "propcleanup", "finish",
        ],
        ["locks"] =
        [
            "init", "begin", "options", "precond", "init_locks", "put", "lock_excl", "discover", "refresh", "notowner_modify",
            "notowner_lock", "owner_modify", "notowner_modify", "notowner_lock", "copy", "cond_put", "fail_cond_put",
            "cond_put_with_not", "cond_put_corrupt_token", "complex_cond_put", "fail_complex_cond_put", "unlock",
            "fail_cond_put_unlocked", "lock_shared", "notowner_modify", "notowner_lock", "owner_modify", "double_sharedlock",
            "notowner_modify", "notowner_lock", "unlock", "prep_collection", "lock_collection", "owner_modify",
            "notowner_modify", "refresh", "indirect_refresh", "unlock", "unmapped_lock", "unlock", "finish",
        ],
        ["http"] = ["init", "begin", "expect100", "finish"],
    };

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var group in LitmusFixture.Groups)
        {
            for (var i = 0; i < Expected[group].Length; i++)
            {
                data.Add(group, i, Expected[group][i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Litmus_case_passes(string group, int number, string name)
    {
        var run = litmus[group];
        var found = run.Cases.FirstOrDefault(c => c.Number == number);
        Assert.True(found is not null, $"litmus {group} did not report case {number} ({name}). Its output:\n{run.Output}");
        Assert.Equal(name, found.Name);
        foreach (var warning in found.Warnings)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"litmus {group} {number} {name}: WARNING: {warning}");
        }

        Assert.True(found.Outcome == "pass", $"litmus {group} {number}. {name}: {found.Detail}");
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("copymove")]
    [InlineData("props")]
    [InlineData("locks")]
    [InlineData("http")]
    public void Litmus_group_runs_every_case_and_passes_all(string group)
    {
        var run = litmus[group];
        var notPassed = run.Cases.Where(c => c.Outcome != "pass").Select(c => $"{c.Number}. {c.Name}: {c.Detail}").ToList();
        Assert.True(notPassed.Count == 0, $"litmus {group}:\n{string.Join('\n', notPassed)}");
        Assert.Equal(Expected[group], run.Cases.Select(c => c.Name));
        Assert.Equal(0, run.ExitCode);
        foreach (var warned in run.Cases.Where(c => c.Warnings.Count > 0))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{warned.Number}. {warned.Name}: WARNING: {string.Join("; ", warned.Warnings)}");
        }
    }
}
