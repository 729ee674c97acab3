using System.Text;
using RclonePool.Server.Live;

namespace RclonePool.Tests.Unit.Live;

public sealed class ClientOutboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LiveFrame Frame(string text, string? key = null) => new(1, key, Encoding.UTF8.GetBytes(text));

    private static async Task<List<string>> DrainAsync(ClientOutbox outbox)
    {
        outbox.Complete();
        var taken = new List<string>();
        while (await outbox.TakeAsync(Ct) is { } frame)
        {
            taken.Add(Encoding.UTF8.GetString(frame.Payload.Span));
        }

        return taken;
    }

    [Fact]
    public async Task Frames_come_out_in_the_order_they_went_in()
    {
        using var outbox = new ClientOutbox(8);
        Assert.Equal(OutboxResult.Queued, outbox.Offer(Frame("a")));
        Assert.Equal(OutboxResult.Queued, outbox.Offer(Frame("b")));
        Assert.Equal(OutboxResult.Queued, outbox.Offer(Frame("c")));

        Assert.Equal(["a", "b", "c"], await DrainAsync(outbox));
    }

    [Fact]
    public async Task Progress_of_one_path_coalesces_in_place_and_the_latest_wins()
    {
        using var outbox = new ClientOutbox(8);
        outbox.Offer(Frame("p1 10%", "upload_progress\n/p1"));
        outbox.Offer(Frame("file event"));
        outbox.Offer(Frame("p2 5%", "upload_progress\n/p2"));
        Assert.Equal(OutboxResult.Coalesced, outbox.Offer(Frame("p1 50%", "upload_progress\n/p1")));
        Assert.Equal(OutboxResult.Coalesced, outbox.Offer(Frame("p1 90%", "upload_progress\n/p1")));

        Assert.Equal(3, outbox.Count);
        Assert.Equal(2, outbox.Coalesced);
        Assert.Equal(["p1 90%", "file event", "p2 5%"], await DrainAsync(outbox));
    }

    [Fact]
    public async Task A_frame_already_taken_is_not_replaced_the_next_one_queues_anew()
    {
        using var outbox = new ClientOutbox(8);
        outbox.Offer(Frame("10%", "k"));
        var first = await outbox.TakeAsync(Ct);
        Assert.Equal("10%", Encoding.UTF8.GetString(first!.Payload.Span));

        Assert.Equal(OutboxResult.Queued, outbox.Offer(Frame("20%", "k")));
        Assert.Equal(["20%"], await DrainAsync(outbox));
    }

    [Fact]
    public async Task Coalescing_never_counts_against_the_bound()
    {
        using var outbox = new ClientOutbox(2);
        outbox.Offer(Frame("x"));
        outbox.Offer(Frame("0", "k"));
        for (var i = 1; i <= 1000; i++)
        {
            Assert.Equal(OutboxResult.Coalesced, outbox.Offer(Frame(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "k")));
        }

        Assert.False(outbox.Overflowed);
        Assert.Equal(["x", "1000"], await DrainAsync(outbox));
    }

    [Fact]
    public async Task A_full_queue_overflows_drops_what_it_holds_and_closes()
    {
        using var outbox = new ClientOutbox(3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(OutboxResult.Queued, outbox.Offer(Frame("m" + i)));
        }

        Assert.Equal(OutboxResult.Overflow, outbox.Offer(Frame("one too many")));
        Assert.True(outbox.Overflowed);
        Assert.Equal(0, outbox.Count);
        Assert.Equal(OutboxResult.Closed, outbox.Offer(Frame("later")));
        Assert.Null(await outbox.TakeAsync(Ct));
        Assert.Null(await outbox.TakeAsync(Ct));
    }

    [Fact]
    public async Task Complete_lets_the_sender_finish_what_is_queued_then_ends()
    {
        using var outbox = new ClientOutbox(4);
        outbox.Offer(Frame("last words"));
        outbox.Complete();

        Assert.Equal(OutboxResult.Closed, outbox.Offer(Frame("too late")));
        Assert.False(outbox.Overflowed);
        Assert.Equal("last words", Encoding.UTF8.GetString((await outbox.TakeAsync(Ct))!.Payload.Span));
        Assert.Null(await outbox.TakeAsync(Ct));
    }

    [Fact]
    public async Task A_waiting_sender_wakes_when_a_frame_arrives()
    {
        using var outbox = new ClientOutbox(4);
        var taking = outbox.TakeAsync(Ct).AsTask();
        Assert.False(taking.IsCompleted);

        outbox.Offer(Frame("hello"));

        var frame = await taking.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("hello", Encoding.UTF8.GetString(frame!.Payload.Span));
    }

    [Fact]
    public async Task Concurrent_publishers_lose_nothing_below_the_bound()
    {
        using var outbox = new ClientOutbox(100_000);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                outbox.Offer(Frame($"{t}:{i}", i % 2 == 0 ? null : $"k{t}"));
            }
        }, Ct)));

        var taken = await DrainAsync(outbox);
        Assert.Equal(4 * 2_500, taken.Count(f => int.Parse(f.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));
        Assert.Equal(4, taken.Count(f => f.EndsWith(":4999", StringComparison.Ordinal))); // each key's latest frame is there
    }
}
