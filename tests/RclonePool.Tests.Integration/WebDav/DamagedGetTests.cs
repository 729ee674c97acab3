using System.Net;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// A whole GET that meets a damaged block part-way through its file (every copy of it damaged): the server hands out
/// only bytes before that block, all of them right, and the response ends short of its Content-Length (the connection
/// is aborted), though the GET writes up to a megabyte into the response before flushing it. The status line and the
/// good bytes already written reach the client before the connection is cut (MidResponseFailure). A GET afterwards still
/// works.
/// </summary>
public sealed class DamagedGetTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private const int DamageAt = (2 * MiB) + 1000; // inside block 8 of a chunk's object (256 KiB blocks)
    private static readonly byte[] Content = LocalPool.RandomBytes(3 * 4 * MiB, 33);
    private RealPool _pool = null!;
    private RunningServer _server = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _pool = await RealPool.OpenAsync(chunkSize: 4 * MiB);
        await _pool.Pool.PutAsync(PoolPath.Parse("/whole.bin"), new MemoryStream(Content), Content.Length, PutOptions.Default, Ct);
        await _pool.Pool.PutAsync(PoolPath.Parse("/other.bin"), new MemoryStream(Content[..MiB]), MiB, PutOptions.Default, Ct);
        _server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);
        _client = new HttpClient { BaseAddress = _server.Url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
    }

    [Fact]
    public async Task A_damaged_block_mid_file_ends_the_response_short_after_only_good_bytes()
    {
        // Every stored object of 4 MiB (the chunks of whole.bin, with any copies) gets garbage at the same offset.
        var damaged = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_pool.Root, "remotes"), "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).Length == 4 * MiB)
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.Write(handle, new byte[] { 0xde, 0xad, 0xbe, 0xef }, DamageAt);
                damaged++;
            }
        }

        Assert.True(damaged >= 3, $"expected the 3 chunk objects of whole.bin, found {damaged}");

        // Several times over, as whether the sender has sent the first bytes when the damage is met depends on timing.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var position = await ReadDamagedAsync();
            Assert.True(position <= 2 * MiB, $"{position} bytes arrived: bytes of the damaged block (from {2 * MiB}) or after it were sent");
            Assert.True(position >= MiB, $"only {position} bytes arrived: the good bytes written before the damaged block were lost");
        }

        // The server goes on serving.
        Assert.Equal(Content[..MiB], await _client.GetByteArrayAsync("other.bin", Ct));
    }

    /// <summary>GETs whole.bin: its headers must arrive, then right bytes only, then a short or failed body; returns how many.</summary>
    private async Task<long> ReadDamagedAsync()
    {
        using var response = await _client.GetAsync("whole.bin", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        long position = 0;
        var failed = false;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(Ct);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, Ct)) > 0)
            {
                Assert.True(buffer.AsSpan(0, read).SequenceEqual(Content.AsSpan((int)position, read)), $"bytes differ in {position}..{position + read - 1}");
                position += read;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            failed = true;
        }

        Assert.True(failed || position < Content.Length, "the response completed although a block was damaged");
        return position;
    }
}
