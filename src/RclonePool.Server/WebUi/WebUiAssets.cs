using System.Net;
using System.Reflection;
using System.Text;

namespace RclonePool.Server.WebUi;

/// <summary>
/// The web UI's files, embedded in this assembly under <c>webui/</c> (see the project file), read once, with their
/// content types; and the page itself, <c>index.html</c> with the API, WebSocket and WebDAV bases written into its meta tags.
/// </summary>
internal sealed class WebUiAssets
{
    private const string ResourcePrefix = "webui/";
    private const string IndexName = "index.html";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
        [".webmanifest"] = "application/manifest+json",
    };

    private readonly Dictionary<string, WebUiAsset> _files;

    private WebUiAssets(Dictionary<string, WebUiAsset> files, WebUiAsset page)
    {
        _files = files;
        Page = page;
    }

    /// <summary>The page every browser navigation to a directory gets.</summary>
    public WebUiAsset Page { get; }

    public IReadOnlyCollection<WebUiAsset> Files => _files.Values;

    public bool TryGet(string name, out WebUiAsset asset) => _files.TryGetValue(name, out asset!);

    /// <summary>Reads every embedded UI file; fails at start (not at the first request) when the build left them out.</summary>
    public static WebUiAssets Load(WebUiOptions options)
    {
        var assembly = typeof(WebUiAssets).Assembly;
        var files = new Dictionary<string, WebUiAsset>(StringComparer.Ordinal);
        byte[]? template = null;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            name = name[ResourcePrefix.Length..];
            var bytes = Read(assembly, resource);
            if (name == IndexName)
            {
                template = bytes;
                continue;
            }

            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            files[name] = new WebUiAsset(name, type, bytes);
        }

        if (template is null)
        {
            throw new InvalidOperationException($"The web UI's {IndexName} is not embedded in {assembly.GetName().Name}; rebuild the server project (its WebUi/assets are embedded resources), or set enable_webui to false.");
        }

        return new WebUiAssets(files, new WebUiAsset(IndexName, ContentTypes[".html"], Render(template, options)));
    }

    /// <summary>Fills the page's placeholders with the attribute-encoded bases the script reads from its meta tags.</summary>
    private static byte[] Render(byte[] template, WebUiOptions options)
    {
        var text = Encoding.UTF8.GetString(template)
            .Replace("{{api}}", WebUtility.HtmlEncode(options.ApiBase), StringComparison.Ordinal)
            .Replace("{{ws}}", WebUtility.HtmlEncode(options.WebSocketPath), StringComparison.Ordinal)
            .Replace("{{dav}}", WebUtility.HtmlEncode(options.DavBase), StringComparison.Ordinal)
            .Replace("{{assets}}", WebUtility.HtmlEncode(WebUiOptions.AssetPrefix), StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} cannot be read.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
