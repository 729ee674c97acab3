using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;
using static Microsoft.Playwright.Assertions;

namespace RclonePool.Tests.Integration.WebUi;

/// <summary>
/// The web UI in real headless Chromium against a real server over a real pool on rclone, with basic authentication
/// (the browser signs in once; the page's fetches, uploads and WebSocket carry the same credentials).
/// </summary>
public sealed partial class WebUiBrowserTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private const int UploadSize = (6 << 20) + 12345;

    private static readonly HttpCredentials Credentials = new() { Username = AuthFixtures.User, Password = AuthFixtures.Password };

    private readonly List<string> _pageErrors = [];
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("webui-");
    private RealPool _pool = null!;
    private RunningServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _pool = await RealPool.OpenAsync(remotes: 3, chunkSize: 1 << 20);
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, NullLoggerFactory.Instance);
        _server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Port = 0, Authenticator = authenticator }, null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Files_are_uploaded_with_progress_browsed_downloaded_bit_exact_renamed_and_deleted_and_folders_created()
    {
        var bytes = LocalPool.RandomBytes(UploadSize, seed: 16);
        var local = Path.Combine(_work.FullName, "holiday video.bin");
        await File.WriteAllBytesAsync(local, bytes, Ct);
        await using var context = await chromium.NewContextAsync(1280, 800, Credentials);
        var page = await OpenAsync(context, "#files");

        // New folder, then into it by its link: the address bar follows, the breadcrumbs name it.
        await page.ClickAsync("#new-folder");
        await page.FillAsync("#prompt-input", "trips 2026");
        await page.ClickAsync("#prompt-ok");
        var folder = Row(page, "/trips 2026");
        await Expect(folder).ToBeVisibleAsync();
        Assert.True((await _pool.Pool.StatAsync(PoolPath.Parse("/trips 2026"), Ct))?.IsDirectory);
        await folder.GetByRole(AriaRole.Link, new() { Name = "trips 2026" }).ClickAsync();
        await Expect(page.Locator("#crumbs [aria-current=page]")).ToHaveTextAsync("trips 2026");
        Assert.EndsWith("/trips%202026/#files", page.Url, StringComparison.Ordinal);

        // Upload through the file input with the link slowed down, so the progress bar is seen part-way.
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = 3 << 20,
        });
        await page.SetInputFilesAsync("#upload-input", local);
        var progress = page.Locator("#uploads li[data-path='/trips 2026/holiday video.bin'] progress");
        await page.WaitForFunctionAsync(
            "() => { const p = document.querySelector('#uploads progress'); return p && p.value > 0 && p.value < p.max; }",
            null, new() { Timeout = 30_000 });
        await Screenshots.TakeAsync(page, "files-uploading-desktop");
        await Expect(page.Locator("#uploads li[data-state=done]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Equal(UploadSize, double.Parse(await progress.GetAttributeAsync("max") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = -1,
        });
        Assert.Equal(UploadSize, (await _pool.Pool.StatAsync(PoolPath.Parse("/trips 2026/holiday video.bin"), Ct))?.Size);

        // The listing shows it; the download link gives back every byte.
        var file = Row(page, "/trips 2026/holiday video.bin");
        await Expect(file).ToBeVisibleAsync();
        await Expect(file.Locator("td.num")).ToHaveTextAsync("6.01 MiB");
        await Screenshots.TakeAsync(page, "files-desktop");
        var download = await page.RunAndWaitForDownloadAsync(() => file.GetByRole(AriaRole.Link, new() { Name = "Download holiday video.bin" }).ClickAsync());
        Assert.Equal("holiday video.bin", download.SuggestedFilename);
        var saved = Path.Combine(_work.FullName, "downloaded.bin");
        await download.SaveAsAsync(saved);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(saved, Ct));

        // Rename in the dialog (the old name goes, the new one comes, the bytes stay).
        await file.GetByRole(AriaRole.Button, new() { Name = "Rename holiday video.bin" }).ClickAsync();
        await page.FillAsync("#prompt-input", "beach.bin");
        await page.Keyboard.PressAsync("Enter");
        await Expect(Row(page, "/trips 2026/beach.bin")).ToBeVisibleAsync();
        await Expect(Row(page, "/trips 2026/holiday video.bin")).ToHaveCountAsync(0);
        Assert.Null(await _pool.Pool.StatAsync(PoolPath.Parse("/trips 2026/holiday video.bin"), Ct));
        Assert.Equal(UploadSize, (await _pool.Pool.StatAsync(PoolPath.Parse("/trips 2026/beach.bin"), Ct))?.Size);

        // A WebDAV client at the same URLs still gets WebDAV, not the page.
        using (var dav = DavClient())
        {
            using var propfind = new HttpRequestMessage(new HttpMethod("PROPFIND"), "trips%202026/") { Headers = { { "Depth", "1" } } };
            using var listing = await dav.SendAsync(propfind, Ct);
            Assert.Equal((HttpStatusCode)207, listing.StatusCode);
            Assert.Contains("beach.bin", await listing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(bytes, await dav.GetByteArrayAsync("trips%202026/beach.bin", Ct));
        }

        // Delete after confirming; then back to the pool's root by the breadcrumb.
        await Row(page, "/trips 2026/beach.bin").GetByRole(AriaRole.Button, new() { Name = "Delete beach.bin" }).ClickAsync();
        await page.ClickAsync("#prompt-ok");
        await Expect(Row(page, "/trips 2026/beach.bin")).ToHaveCountAsync(0);
        await Expect(page.Locator("#files-empty")).ToBeVisibleAsync();
        Assert.Null(await _pool.Pool.StatAsync(PoolPath.Parse("/trips 2026/beach.bin"), Ct));
        await page.Locator("#crumbs").GetByRole(AriaRole.Link, new() { Name = "Pool" }).ClickAsync();
        await Expect(Row(page, "/trips 2026")).ToBeVisibleAsync();
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task A_refused_action_shows_the_servers_words()
    {
        await _pool.Pool.PutAsync(PoolPath.Parse("/a.txt"), new MemoryStream([1, 2, 3]), 3, PutOptions.Default, Ct);
        await _pool.Pool.PutAsync(PoolPath.Parse("/b.txt"), new MemoryStream([4, 5]), 2, PutOptions.Default, Ct);
        await using var context = await chromium.NewContextAsync(1280, 800, Credentials);
        var page = await OpenAsync(context, "#files");

        await Row(page, "/a.txt").GetByRole(AriaRole.Button, new() { Name = "Rename a.txt" }).ClickAsync();
        await page.FillAsync("#prompt-input", "b.txt");
        await page.ClickAsync("#prompt-ok");

        var alert = page.Locator("#alerts .alert");
        await Expect(alert).ToBeVisibleAsync();
        Assert.Contains("b.txt", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await _pool.Pool.StatAsync(PoolPath.Parse("/a.txt"), Ct))?.Size);
    }

    [Fact]
    public async Task The_overview_shows_every_remote_its_storage_and_live_figures_over_the_websocket()
    {
        var content = LocalPool.RandomBytes(3 << 20, seed: 7);
        await _pool.Pool.PutAsync(PoolPath.Parse("/films/one.bin"), new MemoryStream(content), content.Length, PutOptions.Default, Ct);
        await using var context = await chromium.NewContextAsync(1280, 800, Credentials);
        var page = await OpenAsync(context, string.Empty);

        await Expect(page.Locator("#remotes-table tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#remotes-table tbody")).ToContainTextAsync("answering");
        await Expect(page.Locator("#usage-chart svg rect.bar-used")).ToHaveCountAsync(3);
        await Expect(page.Locator("#pool-facts")).ToContainTextAsync("3 of 3 answering");

        // Live: the socket opens with the page's credentials and the stats topic ticks once a second; a download
        // through WebDAV shows up in the download figures.
        await Expect(page.Locator("#live-state")).ToHaveAttributeAsync("data-state", "open", new() { Timeout = 15_000 });
        await Expect(page.Locator("#stat-ops")).ToHaveTextAsync(PerSecond(), new() { Timeout = 15_000 });
        using (var dav = DavClient())
        {
            Assert.Equal(content, await dav.GetByteArrayAsync("films/one.bin", Ct));
        }

        await Expect(page.Locator("#stat-down-total")).Not.ToHaveTextAsync("0 B in total", new() { Timeout = 15_000 });
        await Expect(page.Locator("#throughput-chart polyline")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Expect(page.Locator("#health-body .badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // A quick verify of the pool runs as a job; its result and the per-file verification events are shown.
        await page.ClickAsync("#verify-run");
        await Expect(page.Locator("#verify-body .badge")).ToHaveTextAsync("finished", new() { Timeout = 60_000 });
        await Expect(page.Locator("#verify-events li").First).ToContainTextAsync("/films/one.bin", new() { Timeout = 15_000 });
        await Screenshots.TakeAsync(page, "overview-desktop");
        Assert.Empty(_pageErrors);
    }

    [Theory]
    [InlineData(390, 844, "phone")]
    [InlineData(360, 740, "narrow-phone")]
    public async Task At_a_phones_width_nothing_overflows_sideways(int width, int height, string name)
    {
        await _pool.Pool.MkdirAsync(PoolPath.Parse("/Documents"), Ct);
        var content = LocalPool.RandomBytes(150_000, seed: 3);
        await _pool.Pool.PutAsync(PoolPath.Parse("/a rather long file name for a narrow screen.pdf"), new MemoryStream(content), content.Length, PutOptions.Default, Ct);
        await using var context = await chromium.NewContextAsync(width, height, Credentials);
        var page = await OpenAsync(context, string.Empty);
        await Expect(page.Locator("#remotes-table tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#health-body .badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the overview scrolls sideways");
        if (width == 390)
        {
            await Screenshots.TakeAsync(page, $"overview-{name}");
        }

        await page.ClickAsync("#nav-files");
        await Expect(Row(page, "/Documents")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the file browser scrolls sideways");
        await Screenshots.TakeAsync(page, $"files-{name}");
        Assert.Empty(_pageErrors);
    }

    [GeneratedRegex(@"^\d+(\.\d)?/s$")]
    private static partial Regex PerSecond();

    private static ILocator Row(IPage page, string path) => page.Locator($"#files-table tbody tr[data-path=\"{path}\"]");

    /// <summary>Opens the page at the server's root (plus a fragment), failing on any script error or refused load.</summary>
    private async Task<IPage> OpenAsync(IBrowserContext context, string fragment)
    {
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => _pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _pageErrors.Add(message.Text);
            }
        };
        var response = await page.GotoAsync(_server.Url + fragment);
        Assert.Equal(200, response?.Status);
        return page;
    }

    private HttpClient DavClient()
    {
        var client = new HttpClient { BaseAddress = _server.Url };
        client.DefaultRequestHeaders.Authorization = System.Net.Http.Headers.AuthenticationHeaderValue.Parse(AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
        return client;
    }
}
