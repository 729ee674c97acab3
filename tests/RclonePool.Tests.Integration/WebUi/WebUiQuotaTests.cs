using Microsoft.Playwright;
using RclonePool.Tests.Integration.Users;
using static Microsoft.Playwright.Assertions;

namespace RclonePool.Tests.Integration.WebUi;

/// <summary>
/// The web UI of a multi-user server in real headless Chromium: each user's overview shows that user's own quota and
/// usage (from GET stats), and a user without a quota sees no quota line.
/// </summary>
public sealed class WebUiQuotaTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_user_sees_their_own_quota_and_usage_on_the_overview()
    {
        await using var server = await UserServer.StartAsync(new Dictionary<string, (long Bytes, long Files)> { ["alice"] = (1_000_000, 10) });
        using (var alice = server.Client("alice"))
        {
            using var put = await alice.PutAsync("notes.bin", new ByteArrayContent(new byte[300_000]), Ct);
            put.EnsureSuccessStatusCode();
        }

        var aliceSees = await QuotaLineAsync(server, "alice");
        var bobSees = await QuotaLineAsync(server, "bob");

        Assert.Equal("293 KiB of 977 KiB, 1 of 10 files (user alice)", aliceSees);
        Assert.Null(bobSees);
    }

    /// <summary>The overview's quota line as <paramref name="user"/> sees it, or null when there is none.</summary>
    private async Task<string?> QuotaLineAsync(UserServer server, string user)
    {
        await using var context = await chromium.NewContextAsync(1280, 800, new HttpCredentials { Username = user, Password = UserServer.Password });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(server.Server.Url + "#overview");
        Assert.Equal(200, response?.Status);
        await Expect(page.Locator("#pool-facts")).ToContainTextAsync("Stored");
        var quota = page.Locator("#quota");
        return await quota.CountAsync() == 0 ? null : await quota.InnerTextAsync();
    }
}
