using Microsoft.Playwright;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebUi;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by scripts/install-deps.sh) driven headless by Playwright's
/// bundled node driver; started once for a test class. Playwright never downloads a browser here.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var executable = Tools.Require("chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh context (its own cookies, cache and credentials) of the given viewport size.</summary>
    public Task<IBrowserContext> NewContextAsync(int width, int height, HttpCredentials? credentials = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            HttpCredentials = credentials,
            AcceptDownloads = true,
            ColorScheme = ColorScheme.Light,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
