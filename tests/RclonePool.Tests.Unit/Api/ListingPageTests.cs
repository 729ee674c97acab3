using RclonePool.Server.Api;

namespace RclonePool.Tests.Unit.Api;

public sealed class ListingPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async IAsyncEnumerable<string> Paths(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return $"/d/f{i:D5}";
        }
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 3)]
    [InlineData(9, 3)]
    [InlineData(10, 3)]
    [InlineData(10, 10)]
    [InlineData(10, 1000)]
    public async Task Following_the_cursors_yields_every_entry_once_in_order(int count, int limit)
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListingPage<string>.ReadAsync(Paths(count), p => p, cursor, limit, Ct);
            Assert.True(page.Items.Count <= limit);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(await Paths(count).ToListAsync(Ct), seen);
        Assert.Equal(Math.Max(1, (count + limit - 1) / limit), pages);
    }

    [Fact]
    public async Task A_cursor_stays_valid_when_entries_around_it_change()
    {
        var first = await ListingPage<string>.ReadAsync(Paths(6), p => p, null, 3, Ct);
        var changed = Paths(6).Where(p => p != "/d/f00001" && p != "/d/f00002");
        var next = await ListingPage<string>.ReadAsync(changed, p => p, first.NextCursor, 3, Ct);
        Assert.Equal(["/d/f00003", "/d/f00004", "/d/f00005"], next.Items);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("bm90LWEtcGF0aA")] // "not-a-path"
    public async Task A_cursor_this_server_did_not_hand_out_is_bad_input(string cursor)
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => ListingPage<string>.ReadAsync(Paths(3), p => p, cursor, 3, Ct));
        Assert.Equal(400, error.Status);
        Assert.Contains("without a cursor", error.Message, StringComparison.Ordinal);
    }
}
