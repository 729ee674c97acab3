namespace RclonePool.Tests.Integration.WebDav;

public sealed class LitmusRunParseTests
{
    [Fact]
    public void Parses_redrawn_lines_warnings_failures_and_skips()
    {
        const string output =
            "-> running `basic':\n" +
            "\r 0. init..................\r 0. init.................. pass\n" +
            "\r 9. delete_fragment.......\r 9. delete_fragment....... WARNING: DELETE removed collection resource with Request-URI including fragment; unsafe\n" +
            "    ...................... pass (with 1 warning)\n" +
            "\r10. mkcol.................\r10. mkcol................. FAIL (MKCOL /litmus/coll/: 500)\n" +
            "\r11. mkcol_again...........\r11. mkcol_again........... SKIPPED\n" +
            "<- summary for `basic': of 4 tests run: 2 passed, 1 failed. 50.0%\n";

        var run = LitmusRun.Parse("basic", 1, output);

        Assert.Collection(
            run.Cases,
            c => Assert.Equal((0, "init", "pass"), (c.Number, c.Name, c.Outcome)),
            c =>
            {
                Assert.Equal((9, "delete_fragment", "pass"), (c.Number, c.Name, c.Outcome));
                Assert.Equal(["DELETE removed collection resource with Request-URI including fragment; unsafe"], c.Warnings);
            },
            c => Assert.Equal((10, "mkcol", "FAIL", "FAIL (MKCOL /litmus/coll/: 500)"), (c.Number, c.Name, c.Outcome, c.Detail)),
            c => Assert.Equal((11, "mkcol_again", "SKIPPED"), (c.Number, c.Name, c.Outcome)));
    }
}
