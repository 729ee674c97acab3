using System.Net.Sockets;
using System.Text;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Server.Transport;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// A long GET over plain HTTP/1.1 checks the blocks of local chunk files where they lie (a read-only mapping) and
/// sends them with sendfile, never copying them into the process (docs/read-path.md, Checking in place): the bytes
/// are exactly the stored ones; a block damaged on disk is read from the other copy, or with no other copy cuts the
/// response before any of it; a chunk file cut short by hand under a running GET ends that response early and
/// cleanly (no crash, nothing but stored bytes sent), and the server serves on.
/// </summary>
[Collection(nameof(SendFileGetTests))]
public sealed class InPlaceGetTests
{
    private const int MiB = 1024 * 1024;
    private const int Block = 256 * 1024;
    private static readonly byte[] Content = LocalPool.RandomBytes((4 * 8 * MiB) - 12345, 71);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_whole_get_is_checked_in_place_and_returns_exactly_the_stored_bytes()
    {
        await using var pool = await PoolWithFileAsync(copies: 1);
        await using var server = await StartAsync(pool);
        var before = SocketFileSender.BytesCheckedInPlace;

        var (status, body, _) = await GetAsync(server, receiveBuffer: 0);

        Assert.Equal(200, status);
        Assert.True(body.AsSpan().SequenceEqual(Content), "the body differs from the stored file");
        var inPlace = SocketFileSender.BytesCheckedInPlace - before;
        Assert.True(inPlace >= Content.Length - (4 * MiB), $"only {inPlace} bytes were checked in place");
    }

    [Fact]
    public async Task A_damaged_block_is_read_from_the_other_copy_and_never_sent()
    {
        await using var pool = await PoolWithFileAsync(copies: 2);
        var chunk = (await ManifestAsync(pool)).Chunks[1];
        var damagedAt = (5 * Block) + 77;
        await FlipByteAsync(ObjectFile(pool, chunk.Locations[0]), damagedAt);
        await using var server = await StartAsync(pool);

        var (status, body, _) = await GetAsync(server, receiveBuffer: 0);

        Assert.Equal(200, status);
        Assert.True(body.AsSpan().SequenceEqual(Content), "the body differs from the stored file");
    }

    [Fact]
    public async Task A_damaged_block_with_no_other_copy_cuts_the_response_before_any_of_it()
    {
        await using var pool = await PoolWithFileAsync(copies: 1);
        var chunk = (await ManifestAsync(pool)).Chunks[2];
        var damagedBlock = 9;
        await FlipByteAsync(ObjectFile(pool, chunk.Locations[0]), (damagedBlock * Block) + 5);
        await using var server = await StartAsync(pool);

        var (status, body, _) = await GetAsync(server, receiveBuffer: 0);

        Assert.Equal(200, status);
        var damagedStart = chunk.Offset + (damagedBlock * Block);
        Assert.True(body.Length <= damagedStart, $"{body.Length} bytes were sent, past the damaged block at {damagedStart}");
        Assert.True(body.AsSpan().SequenceEqual(Content.AsSpan(0, body.Length)), "the bytes sent differ from the stored file");
    }

    [Fact]
    public async Task A_chunk_file_cut_short_under_a_running_get_ends_it_cleanly_and_the_server_serves_on()
    {
        await using var pool = await PoolWithFileAsync(copies: 1);
        var manifest = await ManifestAsync(pool);
        await using var server = await StartAsync(pool);

        // A slow client: the server runs at most a few MiB ahead of it, then the last chunk's file is cut by hand.
        var last = manifest.Chunks[^1];
        var (status, body, _) = await GetAsync(server, receiveBuffer: 64 * 1024, pauseAfter: 2 * MiB, whilePaused: async () =>
        {
            await using var file = new FileStream(ObjectFile(pool, last.Locations[0]), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            file.SetLength(Block + 100);
        });

        Assert.Equal(200, status);
        Assert.True(body.Length < Content.Length, "the whole file was sent although its last chunk was cut short");
        Assert.True(body.AsSpan().SequenceEqual(Content.AsSpan(0, body.Length)), "the bytes sent differ from the stored file");

        using var connection = await ConnectAsync(server);
        var head = await connection.SendAsync("HEAD", "/film.bin");
        Assert.Equal(200, head.Status);
    }

    private static async Task<RealPool> PoolWithFileAsync(int copies)
    {
        var pool = await RealPool.OpenAsync(chunkSize: 8 * MiB, configure: c =>
        {
            c.ChunkCacheSizeMb = 64;
            if (copies > 1)
            {
                c.RedundancyMode = "replication";
                c.ReplicationFactor = copies;
            }
        });
        await pool.Pool.PutAsync(PoolPath.Parse("/film.bin"), new MemoryStream(Content), Content.Length, PutOptions.Default, Ct);
        return pool;
    }

    private static async Task<Manifest> ManifestAsync(RealPool pool) =>
        await pool.Pool.GetManifestAsync(PoolPath.Parse("/film.bin"), Ct) ?? throw new InvalidOperationException("no manifest");

    private static Task<RunningServer> StartAsync(RealPool pool) =>
        PoolServer.StartAsync(pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);

    /// <summary>The stored file of <paramref name="location"/> (object names are unique under the remotes' directory).</summary>
    private static string ObjectFile(RealPool pool, ChunkLocation location) =>
        Directory.EnumerateFiles(Path.Combine(pool.Root, "remotes"), Path.GetFileName(location.Object), SearchOption.AllDirectories).Single();

    private static async Task FlipByteAsync(string file, long at)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Position = at;
        var value = stream.ReadByte();
        stream.Position = at;
        stream.WriteByte((byte)(value ^ 0x5a));
    }

    private static async Task<RawHttpConnection> ConnectAsync(RunningServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", server.Url.Port, Ct);
        return new RawHttpConnection(socket);
    }

    /// <summary>
    /// GET /film.bin on a new connection, reading until the server closes it or the body is complete: the status and
    /// the body bytes that arrived. <paramref name="whilePaused"/> runs once <paramref name="pauseAfter"/> body bytes
    /// have arrived, before the rest is read.
    /// </summary>
    private static async Task<(int Status, byte[] Body, string Head)> GetAsync(
        RunningServer server, int receiveBuffer, long pauseAfter = long.MaxValue, Func<Task>? whilePaused = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        await socket.ConnectAsync("127.0.0.1", server.Url.Port, Ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /film.bin HTTP/1.1\r\nHost: x\r\n\r\n"), Ct);
        var received = new MemoryStream();
        var buffer = new byte[256 * 1024];
        var headEnd = -1;
        var paused = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (SocketException)
            {
                break; // reset by the server: the response was aborted
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (headEnd < 0)
            {
                headEnd = received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf("\r\n\r\n"u8);
            }

            var bodyBytes = headEnd < 0 ? 0 : received.Length - headEnd - 4;
            if (bodyBytes >= Content.Length)
            {
                break;
            }

            if (!paused && bodyBytes >= pauseAfter && whilePaused is not null)
            {
                paused = true;
                await Task.Delay(200, Ct); // the server fills the socket buffers and waits
                await whilePaused();
            }
        }

        Assert.True(headEnd > 0, "no response head arrived");
        var all = received.ToArray();
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, all[(headEnd + 4)..], head);
    }
}
