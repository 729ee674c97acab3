using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Quotas;

namespace RclonePool.Tests.Unit.Users;

/// <summary>The quota accounting alone, over an index whose totals the test sets.</summary>
public sealed class QuotaLedgerTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly PoolPath File = PoolPath.Parse("/f");

    private long _indexBytes;
    private long _indexFiles;

    private QuotaLedger Ledger(long bytes, long files = 0) =>
        new(new QuotaLimits("alice", bytes, files), _ => ValueTask.FromResult((_indexBytes, _indexFiles)));

    [Fact]
    public async Task An_upload_of_exactly_the_free_bytes_fits_and_one_byte_more_is_refused_naming_user_and_key()
    {
        _indexBytes = 40;
        using var ledger = Ledger(100);
        await using (await ledger.ReserveAsync(File, 60, 1, 0, None))
        {
        }

        var e = await Assert.ThrowsAsync<PoolException>(() => ledger.ReserveAsync(File, 61, 1, 0, None));
        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.Contains("user 'alice'", e.Message, StringComparison.Ordinal);
        Assert.Contains("quota_bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("60 bytes left", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reservation_holds_its_bytes_until_it_is_released()
    {
        using var ledger = Ledger(100);
        var first = await ledger.ReserveAsync(File, 70, 1, 0, None);
        await Assert.ThrowsAsync<PoolException>(() => ledger.ReserveAsync(PoolPath.Parse("/g"), 31, 1, 0, None));
        Assert.Equal(70, (await ledger.UsageAsync(None)).ReservedBytes);
        await first.DisposeAsync(); // failed upload: nothing stored, all given back
        await using var second = await ledger.ReserveAsync(PoolPath.Parse("/g"), 100, 1, 0, None);
        Assert.Equal(100, second.HeldBytes);
    }

    [Fact]
    public async Task An_upload_that_completes_while_another_streams_counts_before_the_index_shows_it()
    {
        using var ledger = Ledger(100);
        var streaming = await ledger.ReserveAsync(PoolPath.Parse("/g"), -1, 1, 0, None);
        await using (var upload = await ledger.ReserveAsync(File, 80, 1, 0, None))
        {
            upload.Complete(80);
        }

        // The index has not caught up yet (it is read again only when a reservation starts): the 80 bytes still count.
        await using var stream = streaming.Watch(new MemoryStream(new byte[21]), -1);
        await Assert.ThrowsAsync<PoolException>(() => stream.CopyToAsync(Stream.Null));
        await streaming.DisposeAsync();
    }

    [Fact]
    public async Task A_replacement_is_charged_only_what_it_adds()
    {
        _indexBytes = 90;
        _indexFiles = 1;
        using var ledger = Ledger(100, files: 1);

        // The file of 90 bytes becomes 100: 10 more bytes, no new file.
        await using var replace = await ledger.ReserveAsync(File, 100, 0, 90, None);
        Assert.Equal(10, replace.HeldBytes);
        Assert.Equal(0, replace.HeldFiles);

        var e = await Assert.ThrowsAsync<PoolException>(() => ledger.ReserveAsync(PoolPath.Parse("/new"), 0, 1, 0, None));
        Assert.Contains("quota_files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_of_unknown_length_reserves_as_bytes_arrive_and_fails_at_the_first_byte_past_the_quota()
    {
        _indexBytes = 50;
        using var ledger = Ledger(100);
        var reservation = await ledger.ReserveAsync(File, -1, 1, 0, None);
        Assert.Equal(0, reservation.HeldBytes);
        await using (var fits = reservation.Watch(new MemoryStream(new byte[50]), -1))
        {
            await fits.CopyToAsync(Stream.Null);
        }

        Assert.Equal(50, reservation.HeldBytes);
        await using var more = reservation.Watch(new MemoryStream(new byte[1]), -1);
        var e = await Assert.ThrowsAsync<PoolException>(() => more.CopyToAsync(Stream.Null));
        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.Equal(50, reservation.HeldBytes);
        await reservation.DisposeAsync();
        Assert.Equal(0, (await ledger.UsageAsync(None)).ReservedBytes);
    }

    [Fact]
    public async Task A_streamed_replacement_is_charged_only_past_the_size_it_replaces()
    {
        _indexBytes = 100;
        _indexFiles = 1;
        using var ledger = Ledger(100);
        await using var reservation = await ledger.ReserveAsync(File, -1, 0, 100, None);
        await using var same = reservation.Watch(new MemoryStream(new byte[100]), -1);
        await same.CopyToAsync(Stream.Null);
        Assert.Equal(0, reservation.HeldBytes);
        await using var more = reservation.Watch(new MemoryStream(new byte[1]), -1);
        await Assert.ThrowsAsync<PoolException>(() => more.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task Concurrent_uploads_racing_for_the_last_bytes_never_hold_more_than_the_quota()
    {
        _indexBytes = 900;
        using var ledger = Ledger(1000);
        var accepted = 0L;
        var reservations = new System.Collections.Concurrent.ConcurrentBag<QuotaReservation>();

        // 16 streams of 40 bytes in 8-byte reads, all at once: 100 free bytes take at most 100 of them.
        await Parallel.ForEachAsync(Enumerable.Range(0, 16), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var reservation = await ledger.ReserveAsync(PoolPath.Parse($"/f{i}"), -1, 0, 0, ct);
            reservations.Add(reservation);
            var buffer = new byte[8];
            await using var stream = reservation.Watch(new MemoryStream(new byte[40]), -1);
            try
            {
                while (await stream.ReadAsync(buffer, ct) is > 0 and var read)
                {
                    Interlocked.Add(ref accepted, read);
                }
            }
            catch (PoolException e) when (e.Kind == PoolErrorKind.NoSpace)
            {
            }
        });

        // Reserved a read at a time: the last read that fits whole is the last one taken.
        Assert.InRange(accepted, 100 - 7, 100);
        Assert.Equal(accepted, reservations.Sum(r => r.HeldBytes));
        foreach (var reservation in reservations)
        {
            await reservation.DisposeAsync();
        }
    }

    [Fact]
    public async Task Zero_limits_mean_no_limit_for_that_count()
    {
        _indexBytes = long.MaxValue / 4;
        _indexFiles = 1_000_000;
        using var ledger = Ledger(0, files: 0);
        await using var big = await ledger.ReserveAsync(File, long.MaxValue / 4, 1, 0, None);
        Assert.False(new QuotaLimits("x", 0, 0).Limited);
    }
}
