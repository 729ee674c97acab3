using Microsoft.AspNetCore.Builder;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebUi;

/// <summary>Places the web UI in a pipeline: after authentication, before WebDAV.</summary>
public static class WebUiExtensions
{
    /// <summary>
    /// Serves the web UI's files and answers browsers' navigations to directories with its page; everything else goes on.
    /// The files are read (and compressed) here, once, so a build that lost them fails at start.
    /// </summary>
    public static IApplicationBuilder UseWebUi(this IApplicationBuilder app, IPoolFileSystem pool, WebUiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(pool);
        options ??= new WebUiOptions();
        return app.UseMiddleware<WebUiMiddleware>(pool, options, WebUiAssets.Load(options));
    }
}
