using System.Net;
using System.Net.Http.Json;
using RclonePool.Plugins;

namespace WebhookEventHandler;

/// <summary>
/// <c>event_handler:webhook</c>: POSTs each event, as JSON, to the setting <c>url</c>; the setting <c>hooks</c> (comma
/// separated, e.g. "CHUNK_MISSING,REMOTE_ERROR") limits which. As a sample it only talks to a loopback address (a
/// local relay to a chat or mail service): it refuses any other URL when it starts.
/// </summary>
public sealed class WebhookEventHandler : IEventHandlerPlugin, IDisposable
{
    private readonly HttpClient _http = new();
    private Uri? _url;
    private HashSet<string>? _hooks;

    public PluginMetadata Metadata { get; } = new("webhook", "1.0.0", "rclonepool samples", "POSTs the pool's events as JSON to a loopback URL.", PluginType.EventHandler);

    public void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("plugin_settings \"event_handler:webhook\" needs \"url\": an http:// URL, e.g. http://127.0.0.1:9000/hook.");
        }

        if (!uri.IsLoopback && !(IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)))
        {
            throw new ArgumentException($"The webhook sample posts only to a loopback address, and {uri.Host} is not one.");
        }

        _url = uri;
        _hooks = settings.TryGetValue("hooks", out var hooks)
            ? new HashSet<string>(hooks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal)
            : null;
    }

    public async Task HandleAsync(PluginEvent poolEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poolEvent);
        if (_url is null || (_hooks is not null && !_hooks.Contains(poolEvent.Hook)))
        {
            return;
        }

        using var response = await _http.PostAsJsonAsync(_url, poolEvent, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();
}
