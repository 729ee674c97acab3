using Microsoft.Playwright;
using RclonePool.Tests.Integration.Packaging;

namespace RclonePool.Tests.Integration.WebUi;

/// <summary>
/// Screenshots of the web UI kept as test artifacts (TestResults/webui-screenshots/ under the test output directory);
/// with RCLONEPOOL_UPDATE_SCREENSHOTS=1 they are also copied to docs/screenshots/ for the documentation.
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "webui-screenshots");

    public static async Task<string> TakeAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)"); // else the sticky header lands mid-page in a full-page shot
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        if (Environment.GetEnvironmentVariable("RCLONEPOOL_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Repository.File("docs", "screenshots");
            System.IO.Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }

        return path;
    }
}
