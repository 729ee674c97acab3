using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>The host around the protocol: binding, the open-server warning, the authentication seam, streaming and aborts.</summary>
public sealed class HostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Port_0_binds_a_real_port_and_stop_closes_it()
    {
        var server = await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Port = 0 }, cancellationToken: Ct);
        var url = server.Url;
        Assert.NotEqual(0, url.Port);
        Assert.Equal("127.0.0.1", url.Host);
        var waiting = server.WaitForShutdownAsync(Ct);

        await server.StopAsync(Ct);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(async () => await client.ConnectAsync(url.Host, url.Port, Ct));
    }

    [Fact]
    public async Task Background_work_starts_with_the_server_and_is_cancelled_when_it_stops()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task LoopAsync(CancellationToken stopping)
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
            }
        }

        var server = await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Port = 0, BackgroundWork = [LoopAsync] }, cancellationToken: Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(cancelled.Task.IsCompleted);

        await server.StopAsync(Ct);

        Assert.True(cancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task Listening_beyond_loopback_without_authentication_warns_loudly()
    {
        var open = new CapturingLoggerProvider();
        var closed = new CapturingLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(open)))
        {
            await using var server = await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Host = "0.0.0.0", Port = 0, AllowUnauthenticatedRemoteAccess = true }, factory, Ct);
            await using var everywhere = await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Host = "*", Port = 0, AllowUnauthenticatedRemoteAccess = true }, factory, Ct);
            using var client = new HttpClient();
            using var response = await client.GetAsync($"http://127.0.0.1:{everywhere.Url.Port}/", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var factory = LoggerFactory.Create(b => b.AddProvider(closed)))
        {
            await using var server = await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Host = "127.0.0.1", Port = 0 }, factory, Ct);
        }

        var warnings = open.Entries.Where(e => e.Id.Id == 1001).ToList();
        Assert.Equal(2, warnings.Count);
        var warning = warnings[0];
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("WITHOUT AUTHENTICATION", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(closed.Entries, e => e.Id.Id == 1001);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("*")]
    public async Task Listening_beyond_loopback_without_authentication_is_refused_unless_the_risk_is_accepted(string host)
    {
        var e = await Assert.ThrowsAsync<RclonePool.Core.Errors.PoolException>(async () =>
            await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Host = host, Port = 0 }, cancellationToken: Ct));

        Assert.Equal(RclonePool.Core.Errors.PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("--insecure-no-auth", e.Message, StringComparison.Ordinal);
        Assert.Contains("rclonepool user add", e.Message, StringComparison.Ordinal);
        await using var loopback = await PoolServer.StartAsync(new InMemoryPoolFileSystem(), new ServerOptions { Host = "localhost", Port = 0 }, cancellationToken: Ct);
    }

    [Fact]
    public async Task An_authenticator_sees_every_request_first_and_can_refuse_it()
    {
        var provider = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        var pool = new InMemoryPoolFileSystem();
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { Authenticator = new HeaderAuthenticator() }, pool, factory);

        using var refused = await server.Client.PutAsync("f", new ByteArrayContent([1]), Ct);
        using var allowed = await server.SendAsync("PUT", "f", new ByteArrayContent([1]), ("X-Test-Key", "letmein"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        Assert.DoesNotContain(provider.Entries, e => e.Id.Id == 1001);
    }

    [Fact]
    public async Task An_interrupted_put_leaves_the_old_version()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await server.Client.PutAsync("f", new StringContent("old"), Ct);
        var finished = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Pool.PutFinished += (path, error) => finished.TrySetResult(error);

        await RawHttp.SendAsync(server.Url, RawHttp.Head("PUT", "/f", server.Url, "Content-Length: 100000"), new byte[10], closeEarly: true);

        Assert.NotNull(await finished.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal("old"u8.ToArray(), server.Pool.ReadAll(PoolPath.Parse("/f")));
    }

    [Fact]
    public async Task A_put_larger_than_the_free_space_is_refused_before_its_body_is_read()
    {
        var pool = new InMemoryPoolFileSystem { Capacity = 100 };
        await using var server = await ServerUnderTest.StartAsync(pool: pool);

        using var refused = await server.Client.PutAsync("big", new ByteArrayContent(new byte[1000]), Ct);
        using var fits = await server.Client.PutAsync("small", new ByteArrayContent(new byte[50]), Ct);

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        Assert.Equal(1, pool.FileCount);
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_the_pool_read()
    {
        await using var server = await ServerUnderTest.StartAsync();
        await server.Client.PutAsync("big", new ByteArrayContent(new byte[32 << 20]), Ct);
        var observed = new ObservedStream.Observations();
        server.Pool.ReadWrapper = (inner, token) => new ObservedStream(inner, observed, token);

        using (var response = await server.Client.GetAsync("big", HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            var stream = await response.Content.ReadAsStreamAsync(Ct);
            await stream.ReadExactlyAsync(new byte[1024], Ct);
        }

        await observed.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.True(observed.BytesRead < 32 << 20, $"the server read {observed.BytesRead} bytes for a client that left");

        // The failed write may end the read a moment before Kestrel signals the abort: the token must follow soon after.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!observed.Token.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(observed.Token.IsCancellationRequested, "the pool read's cancellation token was not cancelled when the client left");
    }

    private sealed class HeaderAuthenticator : IRequestAuthenticator
    {
        public string Scheme => "test";

        public ValueTask<bool> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
        {
            if (context.Request.Headers["X-Test-Key"] == "letmein")
            {
                return ValueTask.FromResult(true);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return ValueTask.FromResult(false);
        }
    }

    /// <summary>A pool read that is slow (so a client can leave mid-way) and reports how far it got.</summary>
    private sealed class ObservedStream(Stream inner, ObservedStream.Observations observations, CancellationToken token) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(2, cancellationToken);
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 16 * 1024)], cancellationToken);
            Interlocked.Add(ref observations.BytesRead, read);
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            observations.Token = token;
            observations.Disposed.TrySetResult();
            base.Dispose(disposing);
        }

        public sealed class Observations
        {
            public long BytesRead;
            public CancellationToken Token;

            public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
