using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using RclonePool.Server.WebDav;

namespace RclonePool.Server.Transport;

/// <summary>
/// Sends the loopback warm-up's requests, while it runs, to the scratch pool's WebDAV endpoint instead of the served
/// pool's: a request is routed there only while the route is open (between the socket starting to listen and the
/// server reporting ready) and only when it carries <see cref="HeaderName"/> with the random token of that opening,
/// and only for the scratch listing's path. It sits at the end of the pipeline, so the warm-up's requests run every
/// middleware a client's requests run.
/// </summary>
internal sealed class WarmUpRoute
{
    public const string HeaderName = "X-RclonePool-Warm-Up";

    private volatile Opening? _open;

    /// <summary>Opens the route to <paramref name="scratch"/>; returns the token its requests carry.</summary>
    public string Open(DavScratch scratch)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _open = new Opening(scratch.Endpoint, Encoding.ASCII.GetBytes(token));
        return token;
    }

    public void Close() => _open = null;

    /// <summary>Whether <paramref name="http"/> is a request of the open warm-up (it needs no credentials then).</summary>
    public bool Admits(HttpContext http) => _open is { } open && open.Admits(http);

    /// <summary><paramref name="next"/>, except for the requests of the open warm-up.</summary>
    public RequestDelegate Around(RequestDelegate next) => http =>
        _open is { } open && open.Admits(http) ? open.Endpoint.InvokeAsync(http) : next(http);

    private sealed record Opening(WebDavEndpoint Endpoint, byte[] Token)
    {
        public bool Admits(HttpContext http)
        {
            if (http.Request.Path.Value != DavScratch.ListingPath
                || !http.Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || values[0] is not { Length: 64 } presented)
            {
                return false;
            }

            Span<byte> bytes = stackalloc byte[64];
            return Encoding.ASCII.GetBytes(presented, bytes) == 64 && CryptographicOperations.FixedTimeEquals(bytes, Token);
        }
    }
}
